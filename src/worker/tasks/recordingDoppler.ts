// Worker task: the Doppler (DFS) spectrogram of the visible window, with the project's Widar pipeline
// (src/core/dsp/doppler.ts, fast training configuration) and the editor's window length and band. Computed
// separately from the other views because it costs far more: the first view never waits for it.
import { doppler, WIDAR_TRAINING } from '../../core/dsp/doppler';
import { DspError } from '../../core/dsp/errors';
import { packetRateHz } from '../../core/dsp/streams';
import type { DopplerData, DopplerRequest } from '../../shared/recordingView';
import type { TaskContext } from '../taskContext';
import { cachedSource, packetRange } from './recordingSource';

/** Longer windows are refused with a note (zoom in): the PCA and STFT are O(packets) in memory and time. */
export const DOPPLER_MAX_PACKETS = 60000;

export async function recordingDoppler(req: DopplerRequest, ctx: TaskContext): Promise<DopplerData> {
  const t0 = performance.now();
  const src = await cachedSource(req.path, ctx);
  const [a, b] = packetRange(src.index.timeS, src.index.n, req.rangeS);
  const rangeS: [number, number] = b > a ? [src.index.timeS[a], src.index.timeS[b - 1]] : [0, 0];
  const carrierHz = src.summary.carrierHz || undefined;
  let maxBandHz: number | undefined;
  // Only the facts that are known: the message goes through JSON, where an undefined field would not survive.
  const extras = () => ({ ...(maxBandHz !== undefined ? { maxBandHz } : {}), ...(carrierHz ? { carrierHz } : {}) });
  const none = (why: string): DopplerData => ({
    rangeS,
    timeS: [],
    freqsHz: [],
    power: [],
    referenceAntenna: -1,
    unavailable: why,
    ...extras(),
    computeMs: performance.now() - t0,
  });
  // One short line, as the CSI-ratio chart says it (no path: the chart's annotation is one line wide).
  if (src.summary.nRx < 2)
    return none(`Doppler needs two receive antennas (this recording has ${src.summary.nRx === 1 ? 'one' : src.summary.nRx})`);
  if (b - a < 2) return none('needs at least 2 packets');
  if (b - a > DOPPLER_MAX_PACKETS) {
    const span = ((rangeS[1] - rangeS[0]) * DOPPLER_MAX_PACKETS) / (b - a);
    return none(`zoom in to at most ${DOPPLER_MAX_PACKETS} packets (about ${span.toFixed(1)} s) for the Doppler spectrogram`);
  }
  const rec = src.packets(a, b);
  await ctx.checkpoint();
  const duration = rangeS[1] - rangeS[0];
  try {
    // The band cannot exceed the Nyquist frequency of the packet rate (the same estimate the pipeline uses).
    maxBandHz = packetRateHz(rec) / 2;
    const bandHz = Math.min(req.controls.dopplerBandHz, maxBandHz);
    const spec = doppler(rec, {
      ...WIDAR_TRAINING,
      tx: req.controls.tx,
      windowS: req.controls.dopplerWindowS,
      bandHz,
      hopS: Math.max(0.01, duration / Math.max(1, req.maxColumns)),
    });
    const power: number[][] = [];
    for (let k = 0; k < spec.nBins; k++) {
      const row = new Array<number>(spec.nCols);
      for (let col = 0; col < spec.nCols; col++) row[col] = Math.fround(spec.power[col * spec.nBins + k]);
      power.push(row);
    }
    // Column times are relative to the window's first packet; the editor's axis starts at the recording's.
    const timeS = Array.from(spec.timesS, t => t + rangeS[0]);
    return {
      rangeS,
      timeS,
      freqsHz: Array.from(spec.freqsHz),
      power,
      referenceAntenna: spec.referenceAntenna,
      ...extras(),
      bandHz,
      computeMs: performance.now() - t0,
    };
  } catch (e) {
    // DspError puts the file in front of its message; the chart shows the recording already.
    if (e instanceof DspError) return none(e.file && e.message.startsWith(`${e.file}: `) ? e.message.slice(e.file.length + 2) : e.message);
    throw e;
  }
}
