// plotly.js-dist-min ships no type declarations; charts.ts types the few calls used (PlotlyLike).
declare module 'plotly.js-dist-min' {
  const Plotly: unknown;
  export default Plotly;
}
