package io.dataops.quality.feedback;

import static io.dataops.core.text.Html.escape;

import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.run.QualityReport;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report a department receives after a feed, in Chinese or English: the verdict, a chart of each rule's pass
 * rate and failing rows, the trend across recent feeds, and every rule with its masked samples and ticket. Static
 * HTML with inline SVG: it opens anywhere, offline, and carries no script.
 */
final class FeedbackReport {
  private FeedbackReport() {}

  enum Lang {
    ZH("zh-CN", Map.ofEntries(
        Map.entry("title", "数据质量反馈报告"), Map.entry("department", "数源部门"), Map.entry("dataset", "数据集"),
        Map.entry("table", "数据表"), Map.entry("feed", "供数批次"), Map.entry("run", "检查编号"),
        Map.entry("time", "检查时间"), Map.entry("rows", "检查行数"), Map.entry("verdict", "结论"),
        Map.entry("passed", "通过"), Map.entry("failed", "未通过"), Map.entry("rules", "规则"),
        Map.entry("rulesPassed", "通过规则"), Map.entry("failingRows", "问题行数"),
        Map.entry("passRate", "各规则通过率（%）"), Map.entry("failingPerRule", "各规则问题行数"),
        Map.entry("trend", "近期批次规则通过率（%）"), Map.entry("rule", "规则"), Map.entry("column", "字段"),
        Map.entry("severity", "级别"), Map.entry("status", "状态"), Map.entry("unexpected", "问题行"),
        Map.entry("observed", "观测值"), Map.entry("samples", "样例（已脱敏）"), Map.entry("ticket", "工单"),
        Map.entry("error", "错误"), Map.entry("warning", "警告"), Map.entry("unchecked", "无法检查"),
        Map.entry("files", "附件：validation.json（校验结果，Great Expectations 格式）；failing-rows.csv（问题行清单，按主键与行号，已脱敏）。"),
        Map.entry("todo", "请在数源系统中修正问题，并在下一批次供数中体现。确认工单：dataops feedback ack 工单号；修正后：dataops feedback resolve 工单号 --note 说明。下一批次通过该规则时工单自动核验关闭。"),
        Map.entry("noTrend", "（暂无历史批次）"))),
    EN("en", Map.ofEntries(
        Map.entry("title", "Data quality feedback report"), Map.entry("department", "Source department"),
        Map.entry("dataset", "Dataset"), Map.entry("table", "Table"), Map.entry("feed", "Feed"),
        Map.entry("run", "Check run"), Map.entry("time", "Checked at"), Map.entry("rows", "Rows checked"),
        Map.entry("verdict", "Verdict"), Map.entry("passed", "passed"), Map.entry("failed", "failed"),
        Map.entry("rules", "rules"), Map.entry("rulesPassed", "Rules passed"), Map.entry("failingRows", "Failing rows"),
        Map.entry("passRate", "Pass rate per rule (%)"), Map.entry("failingPerRule", "Failing rows per rule"),
        Map.entry("trend", "Share of rules passed, recent feeds (%)"), Map.entry("rule", "Rule"),
        Map.entry("column", "Column"), Map.entry("severity", "Severity"), Map.entry("status", "Status"),
        Map.entry("unexpected", "Failing rows"), Map.entry("observed", "Observed"),
        Map.entry("samples", "Samples (masked)"), Map.entry("ticket", "Ticket"), Map.entry("error", "error"),
        Map.entry("warning", "warning"), Map.entry("unchecked", "could not be checked"),
        Map.entry("files", "Attached: validation.json (the validation result, Great Expectations format); failing-rows.csv (every failing row by key and row number, masked)."),
        Map.entry("todo", "Please fix the problems at the source; the next feed shows the fix. Acknowledge a ticket: dataops feedback ack ID; when fixed: dataops feedback resolve ID --note TEXT. A ticket is verified and closed when a later feed passes its rule."),
        Map.entry("noTrend", "(no earlier feeds yet)")));

    final String code;
    final Map<String, String> words;

    Lang(String code, Map<String, String> words) {
      this.code = code;
      this.words = words;
    }

    String t(String key) {
      return words.get(key);
    }
  }

  /** One bar or point of a chart. */
  record Bar(String label, double value) {}

  static String render(Lang lang, QualityReport report, String department, String dataset,
      Map<Integer, Ticket> ticketsByResult, List<Double> trend) {
    var v = report.validation();
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"").append(lang.code).append("\"><head><meta charset=\"utf-8\">")
        .append("<title>").append(escape(lang.t("title"))).append(" — ").append(escape(department)).append('/')
        .append(escape(dataset)).append("</title><style>")
        .append("body{font-family:'Noto Sans CJK SC','Microsoft YaHei',Arial,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("text-align:left;vertical-align:top;font-size:14px}th{background:#f3f3f3}.ok{color:#1a7f37}")
        .append(".bad{color:#c62828;font-weight:bold}.warn{color:#b26a00;font-weight:bold}dl{display:grid;")
        .append("grid-template-columns:max-content auto;gap:2px 16px}dt{color:#666}svg{margin:.5em 0}")
        .append("</style></head><body>\n");
    h.append("<h1>").append(escape(lang.t("title"))).append("</h1>\n<dl>");
    item(h, lang.t("department"), department);
    item(h, lang.t("dataset"), dataset);
    item(h, lang.t("table"), report.table());
    item(h, lang.t("feed"), report.feedId() == null ? "-" : report.feedId());
    item(h, lang.t("run"), report.runId());
    item(h, lang.t("time"), String.valueOf(v.meta().get("validation_time")));
    item(h, lang.t("rows"), String.format("%,d", report.rowsScanned()));
    h.append("<dt>").append(escape(lang.t("verdict"))).append("</dt><dd class=\"").append(v.success() ? "ok" : "bad")
        .append("\">").append(escape(v.success() ? lang.t("passed") : lang.t("failed"))).append("</dd>");
    item(h, lang.t("rulesPassed"), v.statistics().successful() + " / " + v.statistics().evaluated());
    item(h, lang.t("failingRows"), String.format("%,d", report.failingRows()));
    h.append("</dl>\n");

    List<Bar> passRates = new java.util.ArrayList<>();
    List<Bar> failing = new java.util.ArrayList<>();
    for (int i = 0; i < v.results().size(); i++) {
      ExpectationResult r = v.results().get(i);
      String label = (i + 1) + ". " + shortName(r);
      Object pct = r.result().get("unexpected_percent");
      passRates.add(new Bar(label, pct instanceof Number n ? 100 - n.doubleValue() : r.success() ? 100 : 0));
      Object unexpected = r.result().get("unexpected_count");
      failing.add(new Bar(label, unexpected instanceof Number n ? n.doubleValue() : 0));
    }
    h.append("<h2>").append(escape(lang.t("passRate"))).append("</h2>\n").append(bars(passRates, 100, "#2e7d32"));
    h.append("<h2>").append(escape(lang.t("failingPerRule"))).append("</h2>\n").append(bars(failing,
        failing.stream().mapToDouble(Bar::value).max().orElse(1), "#c62828"));
    h.append("<h2>").append(escape(lang.t("trend"))).append("</h2>\n")
        .append(trend.size() < 2 ? "<p>" + escape(lang.t("noTrend")) + "</p>" : line(trend));

    h.append("<table><tr><th>#</th><th>").append(escape(lang.t("rule"))).append("</th><th>")
        .append(escape(lang.t("column"))).append("</th><th>").append(escape(lang.t("severity"))).append("</th><th>")
        .append(escape(lang.t("status"))).append("</th><th>").append(escape(lang.t("unexpected"))).append("</th><th>")
        .append(escape(lang.t("observed"))).append("</th><th>").append(escape(lang.t("samples"))).append("</th><th>")
        .append(escape(lang.t("ticket"))).append("</th></tr>\n");
    for (int i = 0; i < v.results().size(); i++) {
      ExpectationResult r = v.results().get(i);
      boolean warning = "warning".equals(r.expectationConfig().severity());
      Object column = r.expectationConfig().kwargs().get("column");
      if (column == null) {
        column = r.expectationConfig().kwargs().get("column_list");
      }
      Object samples = r.result().get("partial_unexpected_list");
      Ticket t = ticketsByResult.get(i);
      h.append("<tr><td>").append(i + 1).append("</td><td>").append(escape(r.expectationConfig().type())).append("</td><td>")
          .append(escape(column == null ? "" : column.toString())).append("</td><td>")
          .append(escape(lang.t(warning ? "warning" : "error"))).append("</td><td class=\"")
          .append(r.success() ? "ok" : warning ? "warn" : "bad").append("\">")
          .append(escape(status(lang, r))).append("</td><td>")
          .append(escape(String.valueOf(r.result().getOrDefault("unexpected_count", "")))).append("</td><td>")
          .append(escape(String.valueOf(r.result().getOrDefault("observed_value", "")))).append("</td><td>")
          .append(escape(samples instanceof List<?> l && !l.isEmpty() ? l.subList(0, Math.min(5, l.size())).toString() : ""))
          .append("</td><td>").append(t == null ? "" : "#" + t.id() + " " + escape(t.state().spelling()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n<p>").append(escape(lang.t("files"))).append("</p>\n<p>").append(escape(lang.t("todo")))
        .append("</p>\n</body></html>\n");
    return h.toString();
  }

  /** Passed, failed, or, for a rule that raised (a pattern's overrun), that it could not be checked and why. */
  private static String status(Lang lang, ExpectationResult r) {
    if (r.exceptionInfo() != null) {
      return lang.t("unchecked") + ": " + r.exceptionInfo().exceptionMessage();
    }
    return r.success() ? lang.t("passed") : lang.t("failed");
  }

  private static String shortName(ExpectationResult r) {
    String type = r.expectationConfig().type().replace("expect_", "").replace("column_values_to_", "")
        .replace("table_", "");
    Object column = r.expectationConfig().kwargs().get("column");
    return type + (column == null ? "" : "(" + column + ")");
  }

  private static void item(StringBuilder h, String label, String value) {
    h.append("<dt>").append(escape(label)).append("</dt><dd>").append(escape(value)).append("</dd>");
  }

  /** Horizontal bars, one per rule, scaled to {@code max}. */
  static String bars(List<Bar> bars, double max, String colour) {
    int labelWidth = 330;
    int width = 780;
    int row = 22;
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">", width, bars.size() * row + 6));
    double scale = max <= 0 ? 0 : (width - labelWidth - 70) / max;
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = i * row + 3;
      s.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>", y + 14,
          escape(b.label().length() > 48 ? b.label().substring(0, 48) + "…" : b.label())));
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>",
          labelWidth, y, Math.max(0, b.value() * scale), colour));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>",
          labelWidth + Math.max(0, b.value() * scale) + 4, y + 13, escape(format(b.value()))));
    }
    return s.append("</svg>\n").toString();
  }

  /** A line of percentages, oldest first. */
  static String line(List<Double> values) {
    int width = 780;
    int height = 160;
    int left = 40;
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">", width, height + 20));
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, left, height));
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, height,
        width, height));
    s.append("<text x=\"0\" y=\"12\" font-size=\"11\">100</text>");
    s.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"11\">0</text>", height));
    StringBuilder points = new StringBuilder();
    double step = values.size() == 1 ? 0 : (width - left - 20.0) / (values.size() - 1);
    for (int i = 0; i < values.size(); i++) {
      double x = left + 10 + i * step;
      double y = height - values.get(i) / 100.0 * (height - 10);
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1565c0\"/>", x, y));
    }
    s.append("<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"").append(points.toString().strip())
        .append("\"/>");
    return s.append("</svg>\n").toString();
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
