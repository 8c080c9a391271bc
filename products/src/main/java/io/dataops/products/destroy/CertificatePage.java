package io.dataops.products.destroy;

import static io.dataops.core.text.Html.escape;

import io.dataops.products.delivery.DeliveredCopy;
import io.dataops.products.destroy.DestructionPlan.PlannedFile;

/** The destruction certificate as a page a person can print and file (中文 and English). */
final class CertificatePage {
  private CertificatePage() {}

  static String render(DestructionCertificate c, String algorithm, String jsonDigest) {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>数据销毁证明 ")
        .append(escape(c.certificateId())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:"
            + "70em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;font-size:90%}"
            + "code{font-size:85%}.ok{color:#060}.bad{color:#a00}</style></head><body>\n");
    h.append("<h1>数据销毁证明 · Certificate of destruction</h1>\n<p><b>").append(escape(c.certificateId()))
        .append("</b></p>\n<table>\n");
    row(h, "数据产品 Product", c.product() + " " + c.tag() + " (version " + c.version() + ")");
    row(h, "表 Table", c.table() + " @ snapshot " + c.snapshotId());
    row(h, "销毁前状态 State before", c.fromState());
    row(h, "内容摘要 Merkle root (" + c.algorithm() + ")", c.merkleRoot());
    row(h, "批准 Approved (sealed or rejected) by", c.approvedBy());
    row(h, "执行 Ordered by", c.orderedBy() + " (" + c.orderedByOrganization() + ")");
    row(h, "开始 Started", c.startedAt());
    row(h, "完成 Finished", c.finishedAt());
    row(h, "归档副本 Archive copy removed", c.archiveRemoved() != null ? c.archiveRemoved()
        : "none: the version was never sealed 未封存，无归档副本");
    h.append("</table>\n<h2>文件 Files</h2>\n<table><tr><th>name</th><th>kind</th><th>bytes</th><th>digest (")
        .append(escape(c.algorithm())).append(")</th><th>disposition</th></tr>\n");
    for (PlannedFile f : c.files()) {
      h.append("<tr><td><code>").append(escape(f.name())).append("</code></td><td>").append(escape(f.kind()))
          .append("</td><td>").append(f.size()).append("</td><td><code>").append(escape(f.digest()))
          .append("</code></td><td>").append(DestructionPlan.REMOVE.equals(f.disposition()) ? "removed 已删除"
              : "kept: shared with live version(s) " + escape(f.sharedWith().toString())).append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (!c.metadataRemoved().isEmpty()) {
      h.append("<h2>元数据 Snapshot metadata removed</h2><ul>\n");
      c.metadataRemoved().forEach(m -> h.append("<li><code>").append(escape(m)).append("</code></li>\n"));
      h.append("</ul>\n");
    }
    if (c.qualityRowsRemoved() != null && !c.qualityRowsRemoved().isEmpty()) {
      h.append("<h2>质量记录 Quality records of the snapshot removed</h2><ul>\n");
      c.qualityRowsRemoved().forEach(q -> h.append("<li><code>").append(escape(q.table())).append("</code>: ")
          .append(q.rows()).append(" rows of quality runs ").append(escape(String.join(", ", q.runs())))
          .append("</li>\n"));
      h.append("</ul>\n");
    }
    if (!c.rewrittenVersions().isEmpty()) {
      h.append("<h2>重写 Metadata of live versions rewritten (entries naming removed files dropped)</h2><ul>\n");
      c.rewrittenVersions().forEach(m -> h.append("<li>").append(escape(m)).append("</li>\n"));
      h.append("</ul>\n");
    }
    copiesOutside(h, c.copiesOutside());
    h.append("<h2>事后核查 Post-check: ").append(c.postCheck().passed() ? "<span class=\"ok\">passed 通过</span>"
        : "<span class=\"bad\">FAILED</span>").append("</h2>\n<p>Storage listed afterwards: ")
        .append(c.postCheck().storageListed()).append(" files.</p><ul>\n");
    c.postCheck().checks().forEach(x -> h.append("<li>").append(escape(x)).append("</li>\n"));
    h.append("</ul>\n<p>The JSON form of this certificate has the ").append(escape(algorithm)).append(" digest <code>")
        .append(escape(jsonDigest)).append("</code>, recorded in the audit trail.</p>\n</body></html>\n");
    return h.toString();
  }

  /** The copies partners took away: listed with the plain statement that they are not destroyed. */
  private static void copiesOutside(StringBuilder h, DestructionCertificate.CopiesOutside o) {
    if (o == null) {
      return; // a certificate written before copies outside were recorded
    }
    h.append("<h2>平台外副本 Copies outside the platform</h2>\n<p><b>").append(escape(o.statement()))
        .append("</b></p>\n");
    if (o.source() != null) {
      h.append("<p>Looked up in: ").append(escape(o.source())).append(".</p>\n");
    }
    if (!o.deliveries().isEmpty()) {
      h.append("<table><tr><th>organization 单位</th><th>user</th><th>delivered at</th><th>via</th><th>rows</th>"
          + "<th>bytes</th><th>SHA-256</th><th>audit event</th></tr>\n");
      for (DeliveredCopy d : o.deliveries()) {
        h.append("<tr><td>").append(escape(d.organization())).append("</td><td>").append(escape(d.user()))
            .append("</td><td>").append(escape(d.at())).append("</td><td>").append(escape(d.via()))
            .append("</td><td>").append(d.rows()).append("</td><td>").append(d.bytes()).append("</td><td><code>")
            .append(d.sha256() == null ? "—" : escape(d.sha256())).append("</code></td><td>#").append(d.auditSeq())
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    if (!o.organizationsNotified().isEmpty()) {
      h.append("<p>已通知 Notified to delete their copies: ").append(escape(String.join(", ",
          o.organizationsNotified()))).append("</p>\n");
    }
  }

  private static void row(StringBuilder h, String k, String v) {
    h.append("<tr><th align=\"left\">").append(escape(k)).append("</th><td>").append(escape(v)).append("</td></tr>\n");
  }
}
