/**
 * Watching what a preview is drawn from. Files are watched through their folders (editors save by
 * writing a new file and renaming it over the old one, which a watch on the file itself would lose);
 * template packs are watched folder by folder. A burst of events (one save is often several) becomes
 * one call, `debounceMs` after the last event.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PreviewInputs } from './preview.js';

/** Deeper or larger packs than this are not a template pack: the rest is left unwatched. */
const MAX_PACK_DEPTH = 4;
const MAX_WATCHED_FOLDERS = 256;

/** Editors' swap, backup and probe files: saving never depends on them. */
const EDITOR_NOISE = /(^\.#|^#.*#$|~$|\.sw[a-p]$|^4913$|\.tmp$)/i;

interface Watched {
  watcher: FSWatcher;
  /** The names in the folder that matter; `undefined` for a pack's folder, where every file does. */
  names?: Set<string>;
}

export class PreviewWatcher {
  private readonly folders = new Map<string, Watched>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly onChange: () => void,
    private readonly debounceMs = 100,
  ) {}

  /** Watch exactly `inputs` from now on: folders no longer needed are let go, new ones are added. */
  async update(inputs: PreviewInputs): Promise<void> {
    const wanted = new Map<string, Set<string> | undefined>();
    for (const file of inputs.files) {
      const folder = path.dirname(path.resolve(file));
      const names = wanted.has(folder) ? wanted.get(folder) : new Set<string>();
      names?.add(path.basename(file));
      wanted.set(folder, names);
    }
    for (const pack of inputs.packs)
      for (const folder of await packFolders(path.resolve(pack))) wanted.set(folder, undefined);
    if (this.closed) return;
    for (const [folder, watched] of this.folders)
      if (!wanted.has(folder) || (wanted.get(folder) === undefined) !== (watched.names === undefined)) {
        watched.watcher.close();
        this.folders.delete(folder);
      }
    for (const [folder, names] of wanted) {
      const existing = this.folders.get(folder);
      if (existing) {
        if (names) existing.names = names;
        continue;
      }
      const watcher = this.open(folder);
      if (watcher) this.folders.set(folder, { watcher, ...(names ? { names } : {}) });
    }
  }

  /** The folders watched now (for tests and the start-up line). */
  get watchedFolders(): string[] {
    return [...this.folders.keys()];
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const { watcher } of this.folders.values()) watcher.close();
    this.folders.clear();
  }

  private open(folder: string): FSWatcher | undefined {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, name) => {
        const watched = this.folders.get(folder);
        const file = name?.toString();
        if (file !== undefined && EDITOR_NOISE.test(file)) return;
        if (file !== undefined && watched?.names && !watched.names.has(file)) return;
        this.changed();
      });
      // A folder that goes away (a pack deleted) ends its watch; the next render says what is missing.
      watcher.on('error', () => {
        watcher.close();
        if (this.folders.get(folder)?.watcher === watcher) this.folders.delete(folder);
        this.changed();
      });
      return watcher;
    } catch {
      // Not there (yet): a missing logo or pack is reported by the render, and watched once it exists.
      return undefined;
    }
  }

  private changed(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onChange, this.debounceMs);
  }
}

/** A pack's folder and those below it, skipping hidden folders and node_modules. */
async function packFolders(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (folder: string, depth: number): Promise<void> => {
    if (found.length >= MAX_WATCHED_FOLDERS) return;
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => undefined);
    if (!entries) return;
    found.push(folder);
    if (depth >= MAX_PACK_DEPTH) return;
    for (const entry of entries)
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
        await visit(path.join(folder, entry.name), depth + 1);
  };
  await visit(root, 0);
  return found;
}
