// The typed protocols between the experiment panels' webviews (webview/training, webview/compare) and the extension
// host, as editorProtocol.ts is for the recording editor: one discriminated union per direction, so a message the
// other side does not understand is a type error, not a silent no-op.
import type { ComparisonView, TrainingProgressView } from './experimentView';

export type TrainingToHost = { type: 'ready' };

export type HostToTraining =
  | { type: 'progress'; progress: TrainingProgressView }
  /** Forget every curve (a new run starts). */
  | { type: 'reset' };

export type CompareToHost =
  | { type: 'ready' }
  /** Sent after each render: the text of every number cell keyed by its data-key, so tests can check the DOM. */
  | { type: 'rendered'; dom: Record<string, string> };

export type HostToCompare = { type: 'show'; view: ComparisonView };

/** A webview's `acquireVsCodeApi()` typed with what it may post. */
export interface WebviewApi<ToHost, State = unknown> {
  postMessage(m: ToHost): void;
  setState(s: State): void;
  getState(): State | undefined;
}
