// Where a CLI command writes: process stdout/stderr by default, a capturing pair in tests.
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export const stdio: Io = {
  out: s => {
    process.stdout.write(s);
  },
  err: s => {
    process.stderr.write(s);
  },
};
