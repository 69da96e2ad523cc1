// The typed protocol between the recording editor's webview (webview/editor) and the extension host.
import type { RecordingSummary } from './recordingSummary';
import type { RecordingOpened, ViewControls } from './recordingView';
import type { PackedDopplerData, PackedViewData } from './viewWire';

/** What the webview currently shows: 'summary' = the recording page (metadata, controls, charts). */
export type RenderedView = 'loading' | 'summary' | 'error';

export type EditorToHost =
  | { type: 'ready' }
  | { type: 'reload' }
  /** Sent after each render: what the webview now shows, keyed by data-testid, so tests (and any host) can check
   *  the DOM without reaching into the iframe. `charts` is set once the plotly charts have drawn their data;
   *  `preview` once the first view of the data is on screen before that (canvas heatmaps, drawn while plotly loads). */
  | {
      type: 'rendered';
      view: RenderedView;
      dom: Record<string, string>;
      charts?: boolean;
      preview?: boolean;
      /** When the page's boot steps happened (epoch ms, see webview/editor/bootTiming.ts): for the benchmark. */
      timing?: Record<string, number>;
    }
  /** Ask for the chart data of a time window (undefined = whole recording) with these controls. */
  | { type: 'view'; reqId: number; controls: ViewControls; rangeS?: [number, number] }
  | { type: 'doppler'; reqId: number; controls: ViewControls; rangeS?: [number, number] }
  /** The user changed a control: the host keeps it per file. */
  | { type: 'controls'; controls: ViewControls }
  /** The user zoomed or panned (undefined = reset): the host forwards it to linked editors. */
  | { type: 'range'; rangeS?: [number, number] }
  /** Answer to `exportImage`: a data: URL of the image, or why it failed. */
  | { type: 'image'; format: 'png' | 'svg'; dataUrl?: string; error?: string }
  /** A problem in the webview the host should log (keeps the webview console clean of unexplained errors). */
  | { type: 'log'; level: 'warn' | 'error'; message: string };

export type HostToEditor =
  | { type: 'loading'; file: string; sizeBytes: number }
  /** Kept for hosts that only summarise (no charts). */
  | { type: 'summary'; summary: RecordingSummary }
  /** `initialView`: the host sends the whole-recording view for `controls` unasked, as viewData with reqId 0 (or
   *  requestFailed with reqId 0); a page that starts with these controls and no zoom waits for it instead of asking.
   *  `view`: that view itself, when the host already has it (no viewData with reqId 0 follows): the page builds the
   *  metadata page and draws the first view in one task, without waiting for a second message behind the layout. */
  | {
      type: 'opened';
      opened: RecordingOpened;
      controls: ViewControls;
      maxColumns: number;
      linkedWith?: string;
      initialView?: boolean;
      view?: PackedViewData;
    }
  | { type: 'viewData'; reqId: number; data: PackedViewData }
  | { type: 'dopplerData'; reqId: number; data: PackedDopplerData }
  | { type: 'requestFailed'; reqId: number; message: string }
  /** Zoom to this range (from a linked editor, or from a test); undefined = whole recording. */
  | {
      type: 'setRange';
      rangeS?: [number, number];
      /** treat it as the user's zoom: report it back for linked editors */ broadcast?: boolean;
    }
  /** Change controls as if the user had (tests, commands). */
  | { type: 'setControls'; controls: Partial<ViewControls> }
  | { type: 'exportImage'; format: 'png' | 'svg' }
  /** Scroll a chart into view (tests' screenshots, "go to chart" commands). */
  | { type: 'reveal'; chart: 'amplitude' | 'phase' | 'ratio' | 'doppler' | 'packets' }
  | { type: 'error'; file: string; message: string; detail?: string };
