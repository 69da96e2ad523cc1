// `csi-workbench simulate --out DIR --seed N [--preset small|workbench|default|full] [--workers K] [--json]`: write a
// Widar3.0-style synthetic Intel 5300 dataset (see src/core/sim/dataset.ts) with a manifest, printing progress.
// Ctrl-C cancels cleanly (files written so far stay; no manifest is written).
// Exit codes: 0 ok, 1 generation failed or was cancelled, 2 bad usage.
import { generateDataset, PRESETS, SimulationCancelledError, type SimPreset } from '../../core/sim/dataset';

export const summary =
  'generate a synthetic Widar3.0-style Intel 5300 dataset (--out DIR --seed N [--preset small|workbench|default|full])';

const USAGE =
  'usage: csi-workbench simulate --out DIR --seed N [--preset small|workbench|default|full] [--workers K] [--quiet]\n' +
  '  --preset   small: 9 samples (seconds); default: 486 samples; full: 4050 samples (default: default)\n' +
  '  --workers  worker threads (default: CPU count; 0 = in-process)';

interface Args {
  out: string;
  seed: number;
  preset: SimPreset;
  workers?: number;
  quiet: boolean;
}

function parseArgs(argv: string[]): Args | string {
  let out: string | undefined,
    seed: number | undefined,
    preset: SimPreset = 'default',
    workers: number | undefined,
    quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--out') {
      out = value();
      if (!out) return '--out needs a directory';
    } else if (flag === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v ?? '') || Number(v) > 0xffffffff) return `--seed: '${v}' is not an integer in 0..4294967295`;
      seed = Number(v);
    } else if (flag === '--preset') {
      const v = value();
      if (!v || !(v in PRESETS)) return `--preset: '${v}' is not one of ${Object.keys(PRESETS).join(', ')}`;
      preset = v as SimPreset;
    } else if (flag === '--workers') {
      const v = value();
      if (!/^\d+$/.test(v ?? '')) return `--workers: '${v}' is not a non-negative integer`;
      workers = Number(v);
    } else if (flag === '--quiet') quiet = true;
    else if (flag === '-h' || flag === '--help') return '';
    else return `unknown argument ${a}`;
  }
  if (out === undefined) return 'missing --out DIR';
  if (seed === undefined) return 'missing --seed N';
  return { out, seed, preset, workers, quiet };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    (args ? console.error : console.log)(`${args ? args + '\n' : ''}${USAGE}`);
    return args ? 2 : 0;
  }
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  const t0 = Date.now();
  try {
    const m = await generateDataset({
      outDir: args.out,
      seed: args.seed,
      preset: args.preset,
      workers: args.workers,
      signal: ac.signal,
      onProgress: p => {
        if (!args.quiet) process.stderr.write(`\r${p.done}/${p.total} ${p.sample}        `);
      },
    });
    if (!args.quiet) process.stderr.write('\n');
    console.log(
      `wrote ${m.samples.length} samples × 6 receivers to ${args.out} (seed ${args.seed}, preset ${args.preset}, ${((Date.now() - t0) / 1000).toFixed(1)} s); manifest.json, manifest.csv`,
    );
    return 0;
  } catch (err) {
    if (!args.quiet) process.stderr.write('\n');
    if (err instanceof SimulationCancelledError) {
      console.error(err.message);
      return 1;
    }
    console.error(`simulate: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof RangeError ? 2 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
