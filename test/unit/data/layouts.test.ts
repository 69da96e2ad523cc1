// Widar3.0 naming, simulator folder and generic CSV manifest, on small temporary folders of empty files
// (indexing reads names and manifests only). Expected labels come from the per-date gesture lists in
// glsda-widar-notes.md §3.2.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError } from '../../../src/core/data/errors';
import { indexFolder } from '../../../src/core/data/indexFolder';
import { parseCsv } from '../../../src/core/data/csv';
import { leaveOneOutFolds } from '../../../src/core/data/splits';

function tmpTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const widarFiles = (dir: string, u: number, g: number, l: number, o: number, r: number, rx = [1, 2, 3, 4, 5, 6]): Record<string, string> =>
  Object.fromEntries(rx.map(k => [`${dir}/user${u}-${g}-${l}-${o}-${r}-r${k}.dat`, '']));

describe('data/layouts', () => {
  const roots: string[] = [];
  after(() => roots.forEach(r => fs.rmSync(r, { recursive: true, force: true })));

  it('Widar3.0: groups receivers, labels by date folder, room by date, and skips ambiguous dates', async () => {
    const root = tmpTree({
      ...widarFiles('CSI/20181130/user1', 1, 1, 2, 3, 4), // 20181130: 1 = Push&Pull
      ...widarFiles('CSI/20181130/user1', 1, 9, 1, 1, 1), // 9 = Draw-Rectangle(H)
      ...widarFiles('CSI/20181121/user2', 2, 1, 1, 1, 1), // 20181121: 1 = Slide
      ...widarFiles('CSI/20181211/user3', 3, 4, 1, 1, 1, [1, 2]), // room 3, 4 = Draw-O(H); only 2 receivers
      ...widarFiles('CSI/20181205/user4', 4, 1, 1, 1, 1), // per-user numbering: ambiguous
      'CSI/20181130/user1/readme.txt': 'not data',
    });
    roots.push(root);
    const idx = await indexFolder(root);
    assert.equal(idx.layout, 'widar');
    const byId = new Map(idx.samples.map(s => [s.id, s]));
    assert.equal(idx.samples.length, 4);
    const pp = byId.get('CSI/20181130/user1/user1-1-2-3-4')!;
    assert.equal(pp.className, 'Push&Pull');
    assert.deepEqual(pp.receivers, ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    assert.ok(pp.files.every((f, i) => f.endsWith(`-r${i + 1}.dat`)));
    assert.deepEqual(pp.domain, { user: '1', location: '2', orientation: '3', repetition: '4', date: '20181130', room: '1' });
    assert.equal(byId.get('CSI/20181130/user1/user1-9-1-1-1')!.className, 'Draw-Rectangle(H)');
    assert.equal(byId.get('CSI/20181121/user2/user2-1-1-1-1')!.className, 'Slide');
    const o = byId.get('CSI/20181211/user3/user3-4-1-1-1')!;
    assert.equal(o.className, 'Draw-O(H)');
    assert.equal(o.domain.room, '3');
    assert.ok(idx.diagnostics.some(d => d.code === 'missing-receivers' && /2 of 6/.test(d.message)));
    assert.equal(idx.diagnostics.filter(d => d.code === 'ambiguous-gesture').length, 6, 'one per skipped file');
    for (const s of idx.samples) assert.equal(idx.classes[s.label], s.className);
    // A caller-supplied map resolves the ambiguous date.
    const withMap = await indexFolder(root, { gestureMap: (d, _u, g) => (d === '20181205' && g === 1 ? 'Clap' : undefined) });
    assert.equal(withMap.samples.length, 5);
    // Receivers of one instance never straddle a split: leave-one-room-out keeps each sample whole.
    for (const f of leaveOneOutFolds(idx, 'room')) assert.equal(new Set([...f.train, ...f.val, ...f.test]).size, 4);
  });

  it('simulator folder: manifest.json gives class and domain (incl. room, session); names alone also work', async () => {
    const files = { ...widarFiles('CSI/20990101/user1', 1, 2, 1, 3, 1), ...widarFiles('CSI/20990101/user2', 2, 5, 4, 5, 2) };
    const manifest = {
      simulatorVersion: 'test',
      samples: [
        {
          spec: { user: 1, gesture: 2, room: 2, location: 1, orientation: 3, repetition: 1, session: 1 },
          className: 'Sweep',
          files: Object.keys(files).filter(f => f.includes('user1-')),
        },
        { user: 2, gesture: 5, room: 3, location: 4, orientation: 5, repetition: 2, session: 2 }, // no files, no class: from names
      ],
    };
    const root = tmpTree({ ...files, 'manifest.json': JSON.stringify(manifest) });
    roots.push(root);
    const idx = await indexFolder(root);
    assert.equal(idx.layout, 'simulator');
    assert.equal(idx.labelSource, 'manifest.json');
    assert.equal(idx.samples.length, 2);
    const [a, b] = idx.samples;
    assert.equal(a.className, 'Sweep');
    assert.deepEqual(a.domain, { user: '1', room: '2', location: '1', orientation: '3', repetition: '1', session: '1' });
    assert.equal(a.files.length, 6);
    assert.equal(b.className, 'Draw-O(H)', 'simulator numbering: 5 = Draw-O(H) (20181130 list)');
    assert.equal(b.domain.room, '3');
    assert.equal(b.files.length, 6);
    fs.rmSync(path.join(root, 'manifest.json'));
    const byName = await indexFolder(root, { layout: 'simulator' });
    assert.equal(byName.samples.length, 2);
    assert.ok(byName.samples.every(s => s.domain.room === undefined && s.domain.date === undefined));
    assert.ok(byName.diagnostics.some(d => d.code === 'no-manifest'));
    fs.writeFileSync(path.join(root, 'manifest.json'), '{"samples": 3}');
    await assert.rejects(
      indexFolder(root),
      (e: unknown) => e instanceof DataError && e.code === 'bad-manifest' && /"samples" array/.test(e.message),
    );
  });

  it('generic CSV manifest: path,label,domain columns; rows grouped by id; bad rows reported with line numbers', async () => {
    const root = tmpTree({
      'a/1.dat': '',
      'a/2.dat': '',
      'b/1.dat': 'xx',
      'c.dat': '',
      'manifest.csv':
        [
          'path,label,id,receiver,user,location',
          'a/1.dat,wave,s1,r1,alice,kitchen',
          'a/2.dat,wave,s1,r2,alice,kitchen',
          '"b/1.dat",knock,s2,,bob,"hall, north"',
          'missing.dat,knock,s3,,bob,hall',
          'c.dat,,s4,,bob,hall',
          'c.dat,knock,s5,,carol',
        ].join('\r\n') + '\r\n',
    });
    roots.push(root);
    const idx = await indexFolder(root);
    assert.equal(idx.layout, 'csv');
    assert.deepEqual(idx.classes, ['knock', 'wave']);
    assert.equal(idx.samples.length, 2);
    const s1 = idx.samples.find(s => s.id === 's1')!;
    assert.deepEqual(s1.receivers, ['r1', 'r2']);
    assert.deepEqual(s1.domain, { user: 'alice', location: 'kitchen' });
    assert.equal(s1.label, 1);
    assert.equal(idx.samples.find(s => s.id === 's2')!.domain.location, 'hall, north');
    const diag = (code: string) =>
      idx.diagnostics
        .filter(d => d.code === code)
        .map(d => d.line!)
        .sort((a, b) => a - b);
    assert.deepEqual(diag('missing-file'), [5]);
    assert.deepEqual(diag('bad-row'), [6, 7]);
    // Byte offset of line 5 = length of lines 1–4 with their CRLFs.
    const text = fs.readFileSync(path.join(root, 'manifest.csv'), 'utf8');
    assert.equal(idx.diagnostics.find(d => d.line === 5)!.offset, text.indexOf('missing.dat'));
    // A CSV file can be indexed directly too.
    assert.equal((await indexFolder(path.join(root, 'manifest.csv'))).samples.length, 2);
    fs.writeFileSync(path.join(root, 'manifest.csv'), 'file,what\nc.dat,x\n');
    await assert.rejects(
      indexFolder(root),
      (e: unknown) => e instanceof DataError && e.code === 'bad-manifest' && /label column/.test(e.message),
    );
  });

  it('csv reader: quotes, escaped quotes, embedded newlines, unterminated quote', () => {
    const r = parseCsv('a,"b ""q""",c\n"multi\nline",2,3\n"open,4');
    assert.deepEqual(
      r.rows.map(x => x.fields),
      [['a', 'b "q"', 'c'], ['multi\nline', '2', '3'], ['open,4']],
    );
    assert.deepEqual(
      r.rows.map(x => x.line),
      [1, 2, 4],
    );
    assert.equal(r.problems.length, 1);
  });

  it('a folder with no recognisable dataset is a clear error', async () => {
    const root = tmpTree({ 'x/notes.txt': '', 'y.bin': '' });
    roots.push(root);
    await assert.rejects(
      indexFolder(root),
      (e: unknown) => e instanceof DataError && e.code === 'no-dataset' && /among 2 files/.test(e.message),
    );
    await assert.rejects(indexFolder(path.join(root, 'nope')), (e: unknown) => e instanceof DataError && e.code === 'io');
  });
});
