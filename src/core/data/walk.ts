// Recursive file listing for dataset folders. Follows symlinks (datasets are often assembled from links) but
// remembers real paths so a link cycle cannot loop forever; depth-limited for the same reason.
import * as fs from 'fs';
import * as path from 'path';

export async function listFiles(root: string, maxDepth = 12): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  async function visit(dir: string, depth: number): Promise<void> {
    let real: string;
    try {
      real = await fs.promises.realpath(dir);
    } catch {
      return;
    }
    if (seen.has(real) || depth > maxDepth) return;
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory(),
        isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = await fs.promises.stat(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) await visit(p, depth + 1);
      else if (isFile) out.push(p);
    }
  }
  await visit(path.resolve(root), 0);
  return out.sort();
}
