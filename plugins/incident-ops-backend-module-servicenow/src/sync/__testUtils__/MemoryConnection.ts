import type {
  SourceIncident,
  SourceKnowledgeArticle,
} from '@acme/plugin-incident-ops-common';
import type {
  IncidentProviderConnection,
  IncidentSyncReport,
  QuarantinedRecord,
} from '@acme/plugin-incident-ops-node';

/** A connection with the plugin's upsert rule (newer versions only), kept in memory. */
export class MemoryConnection implements IncidentProviderConnection {
  incidents = new Map<string, SourceIncident>();
  cursor?: string;
  reports: IncidentSyncReport[] = [];
  applied: string[][] = [];
  onApply?: (batch: SourceIncident[]) => void;

  async applyIncidents(batch: SourceIncident[]) {
    this.onApply?.(batch);
    this.applied.push(batch.map(i => i.id));
    let stored = 0;
    for (const i of batch) {
      const old = this.incidents.get(i.id);
      if (!old || old.sourceVersion < i.sourceVersion) {
        this.incidents.set(i.id, i);
        stored++;
      }
    }
    return { stored, unchanged: batch.length - stored };
  }
  articles = new Map<string, SourceKnowledgeArticle>();
  async applyKnowledgeArticles(batch: SourceKnowledgeArticle[]) {
    let stored = 0;
    for (const a of batch) {
      const old = this.articles.get(a.id);
      if (!old || old.sourceVersion < a.sourceVersion) {
        this.articles.set(a.id, a);
        stored++;
      }
    }
    return { stored, unchanged: batch.length - stored };
  }
  quarantined = new Map<string, QuarantinedRecord>();
  async quarantine(records: QuarantinedRecord[]) {
    for (const r of records) this.quarantined.set(r.key, r);
  }
  present?: string[];
  async reconcile(ids: Iterable<string>) {
    this.present = [...ids];
    const gone = [...this.incidents.keys()].filter(
      id => !this.present!.includes(id),
    );
    return { removed: gone.length, restored: 0 };
  }
  async getCursor() {
    return this.cursor;
  }
  async setCursor(c: string) {
    this.cursor = c;
  }
  async reportSync(r: IncidentSyncReport) {
    this.reports.push(r);
  }
  /** Who holds each task's lease: `me`, another replica, or nobody. */
  leases = new Map<string, string>();
  /** How long each task's lease was last taken or renewed for. */
  leaseMs = new Map<string, number>();
  async lease(task: string, ms: number) {
    if ((this.leases.get(task) ?? 'me') !== 'me') return false;
    this.leases.set(task, 'me');
    this.leaseMs.set(task, ms);
    return true;
  }
  async releaseLease(task: string) {
    if (this.leases.get(task) === 'me') this.leases.delete(task);
  }
}
