// Plotly layout colours from VS Code's theme variables, so charts follow light, dark and high-contrast themes.
// VS Code swaps the body's theme class (vscode-light / vscode-dark / vscode-high-contrast[-light]) on a theme
// change: watchTheme re-reads the variables then and calls back.

export interface ChartTheme {
  background: string;
  foreground: string;
  grid: string;
  zero: string;
  font: string;
  accent: string[];
  highContrast: boolean;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function readTheme(): ChartTheme {
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const fg = cssVar('--vscode-editor-foreground', cssVar('--vscode-foreground', '#333'));
  return {
    background: cssVar('--vscode-editor-background', '#ffffff'),
    foreground: fg,
    // High contrast: grid lines in the contrast border colour; otherwise a quiet widget border.
    grid: hc
      ? cssVar('--vscode-contrastBorder', fg)
      : cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.3)')),
    zero: cssVar('--vscode-editorRuler-foreground', 'rgba(128,128,128,0.6)'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    accent: [
      cssVar('--vscode-charts-blue', '#1a85ff'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-green', '#388a34'),
      cssVar('--vscode-charts-purple', '#652d90'),
      cssVar('--vscode-charts-red', '#e51400'),
      cssVar('--vscode-charts-yellow', '#bf8803'),
    ],
    highContrast: hc,
  };
}

export function watchTheme(onChange: (t: ChartTheme) => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    onChange(readTheme());
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
