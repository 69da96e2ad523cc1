// The recording editor's metadata panel (facts table, subcarrier axis, grouped diagnostics) and the small DOM helper
// the page builds with.
import type { RecordingOpened } from '../../src/shared/recordingView';
import { groupDiagnostics, offsetsText, problemCounts } from './chartParts';

export function el(tag: string, attrs: Record<string, string> = {}, ...kids: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

export const fmtBytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1048576
      ? `${(n / 1024).toFixed(1)} KiB`
      : n < 1073741824
        ? `${(n / 1048576).toFixed(1)} MiB`
        : `${(n / 1073741824).toFixed(2)} GiB`;

function row(label: string, value: string, testid: string) {
  return el('vscode-table-row', {}, el('vscode-table-cell', {}, label), el('vscode-table-cell', { 'data-testid': testid }, value));
}

export function metadataPanel(o: RecordingOpened): HTMLElement {
  const s = o.summary;
  const lossPct =
    s.lostPackets !== undefined && s.records > 0 ? ` (${((100 * s.lostPackets) / (s.records + s.lostPackets)).toFixed(2)} %)` : '';
  const ax = s.subcarrierAxis;
  // One row for the subcarriers: what the charts' rows are (range, tone kinds, the segment shown), then every index.
  const ix = ax?.indices ?? s.subcarrierIndices ?? [];
  const axisCell = el(
    'vscode-table-cell',
    {},
    el('span', { 'data-testid': 'subcarrier-range' }, ax?.description ?? (ix.length ? `${ix[0]} … ${ix[ix.length - 1]}` : '—')),
    ...(ix.length ? [el('br'), el('span', { class: 'indices', 'data-testid': 'subcarrier-indices' }, compactIndices(ix))] : []),
  );
  const rows = [
    row('Format', s.format ?? 'not recognised', 'format'),
    row('Device', s.device ?? '—', 'device'),
    row('File size', `${fmtBytes(s.sizeBytes)} (${s.sizeBytes} bytes)`, 'size'),
    row('Records', String(s.records), 'records'),
    row('Duration', `${s.durationS.toFixed(3)} s`, 'duration'),
    row('Mean packet rate', s.meanRateHz ? `${s.meanRateHz.toFixed(1)} packets/s` : '—', 'rate'),
    row('Lost (sequence gaps)', s.lostPackets === undefined ? 'no sequence numbers' : `${s.lostPackets}${lossPct}`, 'loss'),
    row('Antennas (rx × tx)', `${s.nRx} × ${s.nTx}`, 'antennas'),
    row('CSI columns', String(s.nSubcarriers), 'subcarriers'),
    row('Bandwidth', s.bandwidthMHz ? `${s.bandwidthMHz} MHz` : '—', 'bandwidth'),
    ...(s.carrierHz ? [row('Carrier', `${(s.carrierHz / 1e6).toFixed(0)} MHz`, 'carrier')] : []),
    el('vscode-table-row', {}, el('vscode-table-cell', {}, 'Subcarrier indices'), axisCell),
    row('Opened', `${o.mode === 'indexed' ? 'indexed (CSI decoded on demand)' : 'parsed whole'} in ${o.openMs.toFixed(0)} ms`, 'parse-ms'),
  ];
  if (s.transmitters?.length) rows.push(row('Transmitters', transmittersText(s.transmitters), 'transmitters'));
  if (s.widar) {
    const w = s.widar;
    rows.push(
      row(
        'Widar3.0 name',
        `user ${w.user} · gesture ${w.gesture} · location ${w.location} · orientation ${w.orientation} · repetition ${w.repetition} · receiver ${w.receiver}`,
        'widar',
      ),
    );
  }
  const facts = el(
    'vscode-table',
    { zebra: '', bordered: '', 'aria-label': 'Recording facts', columns: JSON.stringify(['40%', '60%']) },
    el('vscode-table-body', { slot: 'body' }, ...rows),
  );
  // Problems (warnings, errors) open the panel; info notes alone (the 0xC1 entries of an Intel log) do not.
  const { problems, notes } = problemCounts(s);
  const title = `Diagnostics (${[problems ? `${problems} problem${problems === 1 ? '' : 's'}` : '', notes ? `${notes} note${notes === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ') || '0'})`;
  const diag = el('vscode-collapsible', { title, ...(problems ? { open: '' } : {}), 'data-testid': 'diagnostics-panel' });
  if (s.diagnosticCount === 0) diag.append(el('p', { 'data-testid': 'diagnostics' }, 'No problems found while reading.'));
  else {
    // Identical kinds once, with a count and their first offsets (18 "257 CSI words" notes were 18 lines).
    diag.append(
      el(
        'ul',
        { 'data-testid': 'diagnostics', class: 'diagnostics' },
        ...groupDiagnostics(s.diagnostics).map(g =>
          el(
            'li',
            { class: `sev-${g.severity}` },
            el('code', {}, offsetsText(g)),
            ' ',
            el('strong', {}, g.code),
            g.count > 1 ? ` ×${g.count}` : '',
            ` (${g.severity === 'info' ? 'note' : g.severity}): ${g.message}${g.expected ? ` — expected ${g.expected}` : ''}`,
          ),
        ),
      ),
    );
    if (s.diagnosticCount > s.diagnostics.length) diag.append(el('p', {}, `…and ${s.diagnosticCount - s.diagnostics.length} more.`));
  }
  return el(
    'div',
    { class: 'meta', 'aria-label': 'Recording metadata' },
    el('vscode-collapsible', { title: 'Recording', open: '' }, facts),
    diag,
  );
}

/** One transmitter: its MAC; several: each with its frame count, and what that means for the charts and training. */
function transmittersText(list: { mac: string; frames: number }[]): string {
  if (list.length === 1) return list[0].mac;
  const shown =
    list
      .slice(0, 6)
      .map(t => `${t.mac} (${t.frames})`)
      .join(', ') + (list.length > 6 ? `, … ${list.length - 6} more` : '');
  return `${list.length}: ${shown}. The charts interleave them; training reads only ${list[0].mac}, the main link`;
}

/** "-28…-2 step 2, -1, 1, 2…28 step 2"-style text is hard to read; show all indices, they are at most a few hundred. */
function compactIndices(ix: number[]): string {
  return ix.length <= 64 ? ix.join(' ') : `${ix.slice(0, 8).join(' ')} … ${ix.slice(-8).join(' ')} (${ix.length})`;
}
