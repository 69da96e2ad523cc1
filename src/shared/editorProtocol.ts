// The typed protocol between the recording editor's webview (webview/editor) and the extension host.
import type { RecordingSummary } from './recordingSummary';

export type EditorToHost =
  | { type: 'ready' }
  | { type: 'reload' }
  /** Sent after each render: what the webview now shows, keyed by data-testid, so tests (and any host) can check
   *  the DOM without reaching into the iframe. */
  | { type: 'rendered'; view: 'loading' | 'summary' | 'error'; dom: Record<string, string> };

export type HostToEditor =
  | { type: 'loading'; file: string; sizeBytes: number }
  | { type: 'summary'; summary: RecordingSummary }
  | { type: 'error'; file: string; message: string; detail?: string };
