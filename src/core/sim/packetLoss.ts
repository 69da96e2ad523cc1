// Bursty over-the-air packet loss as a two-state Gilbert–Elliott chain (csi-simulator.md §6.2). Real 5300 logs lose
// packets in bursts (interference, rate adaptation), which an i.i.d. drop would not reproduce.
import type { Rng } from './rng';

export interface GilbertElliottParams {
  /** P(good → bad) per packet. */
  pGoodToBad: number;
  /** P(bad → good) per packet. */
  pBadToGood: number;
  /** Loss probability while in the bad state (the good state loses nothing). */
  lossInBad: number;
}

export class GilbertElliott {
  private bad = false;
  constructor(
    private readonly p: GilbertElliottParams,
    private readonly rng: Rng,
  ) {}

  /** Advance one packet; true if this packet is lost. */
  lost(): boolean {
    this.bad = this.bad ? !this.rng.bool(this.p.pBadToGood) : this.rng.bool(this.p.pGoodToBad);
    return this.bad && this.rng.bool(this.p.lossInBad);
  }

  /** Long-run loss fraction of the chain: π_bad · lossInBad. */
  static stationaryLoss(p: GilbertElliottParams): number {
    return (p.pGoodToBad / (p.pGoodToBad + p.pBadToGood)) * p.lossInBad;
  }
}
