// Run-history tree view: every run under <workspace>/.csi-workbench/runs/ (newest first) with its status, split
// and test accuracies; expanding a run shows its files (spec, metrics, environment, checkpoints, artifacts, tb).
// Refreshes when a run writes its metrics.json.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunMetrics } from '../../core/experiment/runner';

export const RUN_HISTORY_VIEW = 'csiWorkbench.runHistory';

/** When a run started, from its id (`YYYYMMDDTHHMMSS-…`, UTC), in local time; undefined for another id. */
export function runStarted(runDir: string): Date | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)/.exec(path.basename(runDir));
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

/** A run's name in the run history: the notebook (experiment) name, the step it stopped at when partial, and when. */
export function runLabel(runDir: string, m: RunMetrics): string {
  const t = runStarted(runDir);
  const when = t
    ? `${t.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${t.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`
    : path.basename(runDir);
  return `${m.name}${m.upTo ? ` → ${m.upTo}` : ''} · ${when}`;
}

export class RunItem extends vscode.TreeItem {
  constructor(
    readonly runDir: string,
    readonly metrics: RunMetrics | undefined,
    anyRunLive = true,
  ) {
    super(metrics ? runLabel(runDir, metrics) : path.basename(runDir), vscode.TreeItemCollapsibleState.Collapsed);
    // A run whose worker died never wrote its final status: with nothing running now, it was interrupted.
    const m = metrics;
    const status: string | undefined = m && m.status === 'running' && !anyRunLive ? 'interrupted' : m?.status;
    const accs = m
      ? Object.entries(m.evaluations)
          .map(([k, e]) => `${k} ${(100 * e.accuracy).toFixed(1)} %`)
          .join(', ')
      : '';
    this.description = m ? `${status}${accs ? ` · ${accs}` : ''}` : 'no metrics';
    this.tooltip = new vscode.MarkdownString(
      m
        ? `**${m.name}**${m.notebook ? ` (${m.notebook})` : ''}: ${status}, run ${path.basename(runDir)}\n\n${m.split?.description ?? ''}\n\n${m.steps.map(s => `- ${s.id} (${s.type}) ${s.seconds.toFixed(1)} s${s.reused ? ', reused' : ''}`).join('\n')}${m.error ? `\n\n${m.error}` : ''}`
        : runDir,
    );
    this.iconPath = new vscode.ThemeIcon(
      !m
        ? 'circle-outline'
        : status === 'done'
          ? 'pass'
          : status === 'running'
            ? 'sync'
            : status === 'cancelled' || status === 'interrupted'
              ? 'debug-pause'
              : 'error',
    );
    this.contextValue = m && Object.keys(m.evaluations).length ? 'csiRun.evaluated' : 'csiRun';
    this.resourceUri = vscode.Uri.file(runDir);
  }
}

class FileItem extends vscode.TreeItem {
  constructor(
    readonly file: string,
    isDir: boolean,
  ) {
    super(path.basename(file), isDir ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.resourceUri = vscode.Uri.file(file);
    if (!isDir) this.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(file)] };
    this.contextValue = 'csiRunFile';
  }
}

/** One step of a run (its steps are inside it: a notebook run is one run). */
class StepItem extends vscode.TreeItem {
  constructor(readonly step: RunMetrics['steps'][number]) {
    super(`${step.id} (${step.type})`, vscode.TreeItemCollapsibleState.None);
    this.description = `${step.seconds.toFixed(1)} s${step.reused ? ' · reused from cache' : ''}`;
    this.iconPath = new vscode.ThemeIcon(step.reused ? 'debug-step-over' : 'check');
    this.contextValue = 'csiRunStep';
  }
}

type Node = RunItem | FileItem | StepItem;

export function readMetrics(runDir: string): RunMetrics | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(runDir, 'metrics.json'), 'utf8')) as RunMetrics;
  } catch {
    return undefined;
  }
}

/** Run folders of every workspace folder, newest first (ids start with a UTC timestamp). */
export function listRunDirs(): string[] {
  const out: string[] = [];
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    const dir = path.join(f.uri.fsPath, '.csi-workbench', 'runs');
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) if (fs.statSync(path.join(dir, n)).isDirectory()) out.push(path.join(dir, n));
  }
  return out.sort((a, b) => path.basename(b).localeCompare(path.basename(a)));
}

export class RunHistoryProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/.csi-workbench/runs/*/metrics.json');
  private timer: NodeJS.Timeout | undefined;

  /** `busy` says whether an experiment is running now (so a 'running' run without one was interrupted). */
  constructor(private readonly busy: () => boolean = () => true) {
    const later = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.refresh(), 300);
    };
    this.watcher.onDidCreate(later);
    this.watcher.onDidChange(later);
    this.watcher.onDidDelete(later);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    return n;
  }

  getChildren(n?: Node): Node[] {
    if (!n) {
      const live = this.busy();
      return listRunDirs().map(d => new RunItem(d, readMetrics(d), live));
    }
    if (n instanceof StepItem) return [];
    const dir = n instanceof RunItem ? n.runDir : n.file;
    const steps = n instanceof RunItem ? (n.metrics?.steps ?? []).map(s => new StepItem(s)) : [];
    let names: string[] = [];
    try {
      names = fs
        .readdirSync(dir)
        .filter(x => !x.endsWith('.tmp'))
        .sort();
    } catch {
      return steps;
    }
    return [
      ...steps,
      ...names.map(x => {
        const p = path.join(dir, x);
        return new FileItem(p, fs.statSync(p).isDirectory());
      }),
    ];
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
    clearTimeout(this.timer);
  }
}
