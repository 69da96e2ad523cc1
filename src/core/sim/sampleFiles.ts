// One sample's six receiver logs as real Intel 5300 `.dat` bytes, through the project's writer.
//
// With a small probability per record we also interleave a non-CSI log entry (code 0xC1, random body), as real
// log_to_file captures contain; read_bf_file and every conforming reader skip them, so this exercises that path of
// the readers that consume our data.
import { writeIntel5300, intel5300RecordSize } from '../formats/intel5300/writer';
import { generateSample, sampleKey, type SampleOptions, type SampleResult, type SampleSpec } from './sample';
import { stream } from './rng';
import type { SimKnobs } from './knobs';

export const FOREIGN_ENTRY_RATE = 0.002;

export interface SampleFiles {
  spec: SampleSpec;
  /** r1..r6 file bytes. */
  files: Uint8Array[];
  truth: SampleResult['truth'];
  stats: SampleResult['stats'];
  /** Records written per receiver. */
  records: number[];
}

/** Insert a few foreign (non-0xBB) entries between records of a 5300 log. */
function withForeignEntries(bytes: Uint8Array, recordSize: number, seed: number, key: string, rx: number): Uint8Array {
  const r = stream(seed, 'sample', key, 'foreign', rx);
  const n = bytes.length / recordSize;
  const inserts: { at: number; entry: Uint8Array }[] = [];
  for (let i = 1; i < n; i++) {
    if (!r.bool(FOREIGN_ENTRY_RATE)) continue;
    const bodyLen = r.int(20, 60);
    const entry = new Uint8Array(3 + bodyLen);
    entry[0] = (bodyLen + 1) >> 8;
    entry[1] = (bodyLen + 1) & 0xff;
    entry[2] = 0xc1;
    for (let j = 0; j < bodyLen; j++) entry[3 + j] = r.int(0, 255);
    inserts.push({ at: i * recordSize, entry });
  }
  if (!inserts.length) return bytes;
  const out = new Uint8Array(bytes.length + inserts.reduce((s, x) => s + x.entry.length, 0));
  let src = 0,
    dst = 0;
  for (const ins of inserts) {
    out.set(bytes.subarray(src, ins.at), dst);
    dst += ins.at - src;
    src = ins.at;
    out.set(ins.entry, dst);
    dst += ins.entry.length;
  }
  out.set(bytes.subarray(src), dst);
  return out;
}

export function generateSampleFiles(
  seed: number,
  spec: SampleSpec,
  knobs: SimKnobs,
  opts: SampleOptions & { foreignEntries?: boolean } = {},
): SampleFiles {
  const res = generateSample(seed, spec, knobs, opts);
  const size = intel5300RecordSize(3, 1);
  const key = sampleKey(spec);
  const files = res.records.map((recs, i) => {
    const bytes = writeIntel5300(recs);
    return opts.foreignEntries === false ? bytes : withForeignEntries(bytes, size, seed, key, i + 1);
  });
  return { spec, files, truth: res.truth, stats: res.stats, records: res.records.map(r => r.length) };
}
