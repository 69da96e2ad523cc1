// Geometry of the Doppler path's 2-D stem, shared by the teacher (raw tfjs ops) and the student (tfjs-layers): the
// Doppler features [T, R·Q] are an image of time × Q bands with the R receivers as channels, and each stem layer is
// a 3×3 convolution (same padding) that keeps the time steps and, after the first layer (or from the first, with
// `halveFirst`), halves the bands. Why a stem at all: teacher.ts, TeacherConfig.dopplerStem.
import { ModelError } from '../errors';
import type { InputShape } from './net';

export interface StemLayer {
  bands: number;
  cin: number;
  cout: number;
  strideBands: number;
}

export interface StemGeometry {
  /** Receivers (input channels) and bands per receiver. */
  R: number;
  Q: number;
  layers: StemLayer[];
  /** Features per time step after the stem (bands × filters of the last layer; R·Q without layers). */
  outFeatures: number;
  /** Forward FLOPs of the stem per sample (multiply and add counted separately). */
  flops: number;
}

export function stemGeometry(shape: InputShape, filters: readonly number[], halveFirst = false): StemGeometry {
  if (filters.some(f => !(Number.isInteger(f) && f >= 1)))
    throw new ModelError('bad-config', `dopplerStem must be positive integers, got ${JSON.stringify(filters)}`);
  const Q = shape.dopplerBands ?? shape.dopplerFeatures;
  if (!(Q >= 1 && shape.dopplerFeatures % Q === 0))
    throw new ModelError('bad-config', `Doppler features ${shape.dopplerFeatures} are not receivers × ${Q} bands`);
  const R = shape.dopplerFeatures / Q;
  let bands = Q,
    cin = R,
    flops = 0;
  const layers = filters.map((cout, i) => {
    const strideBands = i === 0 && !halveFirst ? 1 : 2;
    bands = Math.ceil(bands / strideBands);
    flops += 2 * shape.timeSteps * bands * 9 * cin * cout;
    const l = { bands, cin, cout, strideBands };
    cin = cout;
    return l;
  });
  return { R, Q, layers, outFeatures: filters.length ? bands * cin : shape.dopplerFeatures, flops };
}
