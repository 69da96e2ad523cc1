// The confusion-matrix layout of the notebook renderer and the comparison panel (webview/notebookRenderer/charts.ts):
// square cells, every class label a tick on both axes, margins that hold the longest label, axis titles set off.
import { strict as assert } from 'node:assert';
import { confusionLayout } from '../../../webview/common/charts';

const theme = {
  background: '#fff',
  foreground: '#000',
  grid: '#ccc',
  zero: '#999',
  font: 'sans-serif',
  accent: ['#00f'],
  highContrast: false,
};
const WIDAR = [
  'Push&Pull',
  'Sweep',
  'Clap',
  'Slide',
  'Draw-Zigzag(Horizontal)',
  'Draw-N(Horizontal)',
  'Draw-O(Horizontal)',
  'Draw-Rectangle(Horizontal)',
  'Draw-Triangle(Horizontal)',
];

describe('charts: confusion matrix layout', () => {
  it('square cells, all labels, margins for the longest label', () => {
    const { layout, width, height } = confusionLayout(WIDAR, theme, 'teacher: confusion');
    const x = layout.xaxis as Record<string, unknown>,
      y = layout.yaxis as Record<string, unknown>;
    const m = layout.margin as { l: number; r: number; t: number; b: number };
    assert.deepEqual(x.tickvals, WIDAR, 'every predicted label is a tick');
    assert.deepEqual(y.tickvals, WIDAR, 'every true label is a tick');
    assert.equal(y.scaleanchor, 'x');
    assert.equal(y.scaleratio, 1);
    const plotW = width - m.l - m.r - 80,
      plotH = height - m.t - m.b;
    assert.equal(plotW, plotH, 'square plot area, so square cells');
    assert.ok(plotH / WIDAR.length >= 20, `cells of ${plotH / WIDAR.length} px are readable`);
    const longest = Math.max(...WIDAR.map(l => l.length));
    assert.ok(m.l >= 6 * longest, `left margin ${m.l} px holds "${WIDAR[7]}"`);
    assert.ok(m.b >= 0.7 * 6 * longest, `bottom margin ${m.b} px holds the slanted labels`);
    assert.ok(
      (x.title as { standoff: number }).standoff > 0 && (y.title as { standoff: number }).standoff > 0,
      'axis titles set off from the ticks',
    );
    assert.equal(layout.autosize, false);
  });

  it('a small matrix still has room for its whole title, with square cells', () => {
    const title = 'teacher: confusion (rows true, columns predicted)';
    const { layout, width, height } = confusionLayout(['push', 'pull', 'clap'], theme, title);
    const m = layout.margin as { l: number; r: number; t: number; b: number };
    assert.ok(width >= 7 * title.length, `width ${width} px holds the title`);
    assert.equal(width - m.l - m.r - 80, height - m.t - m.b, 'square plot area');
  });
});
