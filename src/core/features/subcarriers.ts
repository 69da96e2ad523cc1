// Which subcarriers of a capture carry the frame: the amplitude threshold finds the occupied 20 MHz sub-band(s), the
// 802.11 tone plan says which of their subcarriers are occupied (why: docs/decisions.md, "active subcarriers").

/**
 * Indices of the active subcarriers. When the 90th-percentile subcarrier's time-mean amplitude is at least 10× the
 * 10th percentile's (20 dB: more than frequency-selective fading produces across an occupied band), the band is
 * partly empty and the active ones are those above the geometric mean of the two, which sits between an occupied
 * band (≈ 1000 on Nexmon) and the noise floor (≈ 15–60); otherwise (Intel's 30 groups) every subcarrier is active.
 *
 * With the columns' OFDM subcarrier indices (at 312.5 kHz spacing, as `bandwidthMHz` confirms), the threshold only
 * finds *which* 20 MHz sub-bands carry the frame; the 802.11 tone plan then says which of their subcarriers are
 * occupied (occupiedToneRange), and the active set is the threshold's set inside that plan. Why: a few guard and
 * out-of-band bins pass the threshold in some captures and not in others (Fition: bins 0–3 of the sub-band's guard,
 * and bins 88, 129, 253–255 of the idle 60 MHz, varying from one recording session to the next), and each one shifts
 * which subcarriers fall in which amplitude group — a per-session signature in the features, not motion.
 */
export function activeSubcarriers(meanAmp: ArrayLike<number>, indices?: ArrayLike<number>, bandwidthMHz?: number): number[] {
  const n = meanAmp.length;
  const sorted = Array.from(meanAmp).sort((a, b) => b - a);
  const hi = Math.max(0, sorted[Math.floor(0.1 * n)]),
    lo = Math.max(0, sorted[Math.min(n - 1, Math.floor(0.9 * n))]);
  const all = Array.from({ length: n }, (_, i) => i);
  if (!(hi >= 10 * lo)) return all;
  const thr = Math.sqrt(hi * lo),
    out: number[] = [];
  for (let i = 0; i < n; i++) if (meanAmp[i] >= thr && meanAmp[i] > 0) out.push(i);
  if (!out.length) return all;
  if (!indices || indices.length !== n) return out;
  const range = occupiedToneRange(indices, out, bandwidthMHz);
  if (!range) return out;
  const inPlan = out.filter(i => indices[i] >= range[0] && indices[i] <= range[1]);
  return inPlan.length >= out.length / 2 ? inPlan : out;
}

/**
 * The tone range [lo, hi] (subcarrier indices) of the frame in a capture wider than it, or undefined when the
 * indices are not a 312.5 kHz grid matching `bandwidthMHz`. The capture is cut into 20 MHz sub-bands of 64 tones;
 * a sub-band carries the frame when at least half of its 56 HT20 tones are in `above`. One such sub-band: its
 * centre ± 28 (HT/VHT 20 MHz); several adjacent ones (a 40/80/160 MHz frame): from the first centre − 26 to the last
 * centre + 26 (VHT40 ±58, VHT80 ±122 around the channel centre, IEEE 802.11-2020 21.3.7.2); non-adjacent ones:
 * undefined (not a frame the standard makes; keep the threshold's set).
 */
export function occupiedToneRange(
  indices: ArrayLike<number>,
  above: readonly number[],
  bandwidthMHz?: number,
): [number, number] | undefined {
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < indices.length; i++) {
    min = Math.min(min, indices[i]);
    max = Math.max(max, indices[i]);
  }
  const width = max - min + 1,
    k = Math.round(width / 64);
  if (k < 1 || Math.abs(width - 64 * k) > 2 || (bandwidthMHz !== undefined && bandwidthMHz > 0 && Math.abs(bandwidthMHz - 20 * k) > 1))
    return undefined;
  const base = Math.round((min + max + 1) / 2) - 32 * k; // first sub-band's lowest tone
  const present = new Set(above.map(i => indices[i]));
  const occupied: number[] = [];
  for (let j = 0; j < k; j++) {
    const c = base + 64 * j + 32;
    let hit = 0;
    for (let d = 1; d <= 28; d++) hit += (present.has(c - d) ? 1 : 0) + (present.has(c + d) ? 1 : 0);
    if (hit >= 28) occupied.push(c);
  }
  if (!occupied.length) return undefined;
  for (let j = 1; j < occupied.length; j++) if (occupied[j] - occupied[j - 1] !== 64) return undefined;
  if (occupied.length === 1) return [occupied[0] - 28, occupied[0] + 28];
  return [occupied[0] - 26, occupied[occupied.length - 1] + 26];
}
