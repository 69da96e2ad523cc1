// Where the shared reference data lives. Tests read real recordings from there, never from copies in the repo.
import * as fs from 'fs';
import * as path from 'path';

function findShared(): string {
  if (process.env.CSI_SHARED) return path.resolve(process.env.CSI_SHARED);
  // out/test/helpers -> repo root is three levels up; shared/ sits beside the repo.
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (let i = 0; i < 6; i++) {
      const cand = path.join(dir, '..', 'shared');
      if (fs.existsSync(path.join(cand, 'refdata'))) return path.resolve(cand);
      dir = path.dirname(dir);
    }
  }
  throw new Error('cannot find ../shared/refdata; set CSI_SHARED to the shared folder');
}

export const SHARED = findShared();
export const REFDATA = path.join(SHARED, 'refdata');
export const LABELED = path.join(SHARED, 'labeled');
export const refdata = (...p: string[]): string => path.join(REFDATA, ...p);
export const labeled = (...p: string[]): string => path.join(LABELED, ...p);
/** Repo root (out/test/helpers → ../../..). */
export const REPO = path.resolve(__dirname, '..', '..', '..');
