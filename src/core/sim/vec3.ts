// Minimal 3-D vector helpers on plain tuples. Why not a library: the simulator needs a dozen one-line operations,
// and tuples keep the hot loops free of allocation-heavy class wrappers.
export type Vec3 = [number, number, number];

export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const dist = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
export const unit = (a: Vec3): Vec3 => {
  const n = norm(a) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
};
export const lerp = (a: Vec3, b: Vec3, s: number): Vec3 => [a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s, a[2] + (b[2] - a[2]) * s];

/** Rotate about the x axis by `rad` (right-hand rule). */
export const rotX = (a: Vec3, rad: number): Vec3 => {
  const c = Math.cos(rad),
    s = Math.sin(rad);
  return [a[0], c * a[1] - s * a[2], s * a[1] + c * a[2]];
};
/** Rotate about the z axis by `rad` (right-hand rule). */
export const rotZ = (a: Vec3, rad: number): Vec3 => {
  const c = Math.cos(rad),
    s = Math.sin(rad);
  return [c * a[0] - s * a[1], s * a[0] + c * a[1], a[2]];
};
