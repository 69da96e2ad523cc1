// Shared helpers of the engine benchmarks (train, infer): machine facts, robust timing statistics, and the native
// reference (numpy's OpenBLAS sgemm on the model's own GEMM shapes, timed by a child python3 in the same run).
import * as os from 'os';
import { spawnSync } from 'child_process';
import type { ReferenceModelConfig } from './dataParallel/referenceModel';

export function machineFacts(): Record<string, unknown> {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    totalMemGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadAvgAtStart: os.loadavg().map(v => +v.toFixed(2)),
    // The machines are shared; a run started with `nice -n -10` (niceness -10 here) competes better with other work.
    niceness: os.getPriority(),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One GEMM of a forward pass: [m,k]·[k,n], repeated `batch` times (attention heads). */
export interface GemmShape {
  name: string;
  m: number;
  n: number;
  k: number;
  batch: number;
}

/** The forward GEMMs of a reference model at batch size B (convs as im2col products). */
export function modelGemmShapes(c: ReferenceModelConfig, B: number): GemmShape[] {
  const out: GemmShape[] = [];
  let t = c.timeSteps,
    cin = c.channels;
  c.convFilters.forEach((cout, i) => {
    t = Math.ceil(t / c.convStrides[i]);
    out.push({ name: `conv${i + 1}`, m: B * t, n: cout, k: c.convKernels[i] * cin, batch: 1 });
    cin = cout;
  });
  const d = c.dModel,
    dh = d / c.heads;
  out.push({ name: 'qkv', m: B * t, n: 3 * d, k: d, batch: c.blocks });
  out.push({ name: 'scores', m: t, n: t, k: dh, batch: c.blocks * B * c.heads });
  out.push({ name: 'context', m: t, n: dh, k: t, batch: c.blocks * B * c.heads });
  out.push({ name: 'proj', m: B * t, n: d, k: d, batch: c.blocks });
  out.push({ name: 'ffn1', m: B * t, n: c.ffn, k: d, batch: c.blocks });
  out.push({ name: 'ffn2', m: B * t, n: d, k: c.ffn, batch: c.blocks });
  return out;
}

export interface NativeGemmResult {
  available: boolean;
  note: string;
  threads1?: number;
  threads1Cpu?: number;
  threads2?: number;
  blas?: string;
}

const NUMPY_SCRIPT = `
import json, sys, time
import numpy as np
shapes = json.loads(sys.argv[1])
tot_flops = 0.0; tot_time = 0.0; tot_cpu = 0.0
for s in shapes:
    a = np.random.rand(s['batch'], s['m'], s['k']).astype(np.float32)
    b = np.random.rand(s['batch'], s['k'], s['n']).astype(np.float32)
    best = 1e9; best_cpu = 1e9
    for _ in range(7):
        t = time.perf_counter(); c = time.process_time(); np.matmul(a, b)
        best = min(best, time.perf_counter() - t); best_cpu = min(best_cpu, time.process_time() - c)
    tot_flops += 2.0 * s['m'] * s['n'] * s['k'] * s['batch']; tot_time += best; tot_cpu += max(best_cpu, 1e-6)
cfg = np.show_config(mode='dicts')
blas = cfg.get('Build Dependencies', {}).get('blas', {})
print(json.dumps({'gflops': tot_flops / tot_time / 1e9, 'gflopsCpu': tot_flops / tot_cpu / 1e9, 'blas': f"{blas.get('name','?')} {blas.get('version','?')}"}))
`;

/** numpy/OpenBLAS sgemm GFLOP/s over the given shapes (best of 7 each, summed), on 1 and 2 threads. */
export function numpyGemm(shapes: GemmShape[]): NativeGemmResult {
  const run = (threads: number) =>
    spawnSync('python3', ['-c', NUMPY_SCRIPT, JSON.stringify(shapes)], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
    });
  const one = run(1);
  if (one.status !== 0)
    return { available: false, note: `python3/numpy unavailable: ${(one.stderr || String(one.error)).split('\n').slice(-2).join(' ')}` };
  const two = run(2);
  const r1 = JSON.parse(one.stdout.trim()) as { gflops: number; gflopsCpu: number; blas: string };
  const r2 = two.status === 0 ? (JSON.parse(two.stdout.trim()) as { gflops: number }) : undefined;
  return {
    available: true,
    note: 'numpy.matmul float32 on the model forward GEMM shapes, best of 7 per shape (wall and process CPU time), same run',
    threads1: r1.gflops,
    threads1Cpu: r1.gflopsCpu,
    threads2: r2?.gflops,
    blas: r1.blas,
  };
}
