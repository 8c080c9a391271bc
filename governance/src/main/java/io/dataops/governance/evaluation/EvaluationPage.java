package io.dataops.governance.evaluation;

import static io.dataops.core.text.Html.escape;

import io.dataops.core.text.VisibleText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scorecards as one self-contained HTML page: tables and bar charts drawn as inline SVG, labels in Chinese and
 * English; it loads nothing from anywhere (no scripts, fonts or images), so it opens on an air-gapped desk.
 */
public final class EvaluationPage {
  private EvaluationPage() {}

  /** One bar: its label and value (null: nothing to show, drawn as "n/a"). */
  record Bar(String label, Double value) {}

  public static String html(Scorecards s) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"UTF-8\">\n<title>成效评估 Evaluation ")
        .append(escape(s.period())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
            + "text-align:right}th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}"
            + "svg{display:block;margin:1em 0}.note{color:#666;font-size:90%}</style></head><body>\n");
    h.append("<h1>成效评估 Evaluation — ").append(escape(s.period())).append("</h1>\n<p class=\"note\">")
        .append("时区 time zone: ").append(escape(s.zone())).append("; 生成于 generated at ").append(escape(s.generatedAt()))
        .append("</p>\n");
    if (s.partial()) {
      h.append("<p class=\"note\">本月尚未结束：截至 ").append(escape(s.countedUntil()))
          .append(" 的数据 The month is not over: figures so far, to ").append(escape(s.countedUntil()))
          .append("</p>\n");
    }

    h.append("<h2>数据提供部门 Source departments</h2>\n");
    List<Bar> timely = new ArrayList<>();
    List<Bar> quality = new ArrayList<>();
    h.append("<table><tr><th>部门 Department</th><th>应报 Feeds due</th><th>按时 On time</th><th>迟报 Late</th>"
        + "<th>缺报 Missed</th><th>及时率 Timeliness</th><th>质检批次 Feeds checked</th><th>规则通过率 Rules met</th>"
        + "<th>上月 Last month</th><th>工单 Tickets opened</th><th>平均响应(小时) Mean hours to acknowledge</th>"
        + "<th>平均解决(小时) Mean hours to resolve</th><th>平均验证(小时) Mean hours to verify</th>"
        + "<th>未关闭 Still active</th></tr>\n");
    for (Scorecards.Department d : s.departments()) {
      var t = d.timeliness();
      var q = d.quality();
      var k = d.tickets();
      h.append("<tr><td>").append(shownName(d.name())).append("<br><code>").append(escape(d.department()))
          .append("</code></td>").append(td(t.due())).append(td(t.onTime())).append(td(t.late()))
          .append(td(t.missed())).append(td(pct(t.percent()))).append(td(q.feeds())).append(td(pct(q.percent())))
          .append(td(pct(q.previousPercent()))).append(td(k.opened())).append(td(num(k.meanHoursToAcknowledge())))
          .append(td(num(k.meanHoursToResolve()))).append(td(num(k.meanHoursToVerify()))).append(td(k.stillActive()))
          .append("</tr>\n");
      timely.add(new Bar(d.department(), t.percent()));
      quality.add(new Bar(d.department(), q.percent()));
    }
    h.append("</table>\n<p class=\"note\">应报只计截至 ").append(escape(s.countedUntil()))
        .append(" 已到期、且在数据集供数规范登记之后到期的批次 Feeds due: only those due by ")
        .append(escape(s.countedUntil())).append(" and after the dataset's contract was registered").append(s.partial()
            ? " (due so far)" : "").append("</p>\n");
    h.append(chart("及时率 Feed timeliness (% of feeds due that came on time)", timely, 100));
    h.append(chart("规则通过率 Quality rules met (%)", quality, 100));
    for (Scorecards.Department d : s.departments()) {
      if (d.quality().trend().size() > 1) {
        List<Bar> trend = new ArrayList<>();
        for (int i = 0; i < d.quality().trend().size(); i++) {
          trend.add(new Bar("#" + (i + 1), d.quality().trend().get(i)));
        }
        h.append(chart("质量趋势 Quality trend, feed by feed: " + d.department(), trend, 100));
      }
    }
    h.append("<p class=\"note\">未声明报送计划的数据集不计及时率 Datasets without a declared schedule are not judged "
        + "for timeliness: ");
    List<String> undeclared = new ArrayList<>();
    s.departments().forEach(d -> d.timeliness().datasets().stream().filter(x -> x.schedule() == null)
        .forEach(x -> undeclared.add(d.department() + "/" + x.dataset())));
    h.append(undeclared.isEmpty() ? "无 none" : escape(String.join(", ", undeclared))).append("</p>\n");

    h.append("<h2>授权运营单位 Authorized operators</h2>\n");
    h.append("<table><tr><th>运营单位 Operator</th><th>发布产品 Products published</th><th>交付次数 Deliveries</th>"
        + "<th>交付行数 Rows delivered</th><th>合作方 Partners</th><th>告警 Alerts</th><th>被拒运行 Runs refused</th>"
        + "<th>泄露检查未通过 Leak checks failed</th><th>授权表 Tables granted</th><th>已用表 Tables read</th></tr>\n");
    List<Bar> deliveries = new ArrayList<>();
    List<Bar> used = new ArrayList<>();
    double maxDeliveries = 1;
    for (Scorecards.Operator o : s.operators()) {
      int granted = o.grants().stream().mapToInt(g -> g.tablesGranted().size()).sum();
      int read = o.grants().stream().mapToInt(g -> g.tablesRead().size()).sum();
      h.append("<tr><td>").append(shownName(o.name())).append("<br><code>").append(escape(o.operator()))
          .append("</code></td>").append(td(o.published().size())).append(td(o.usage().deliveries()))
          .append(td(o.usage().rows())).append(td(o.usage().partners().size())).append(td(o.incidents().alerts()))
          .append(td(o.incidents().runsRefused())).append(td(o.incidents().leakChecksFailed())).append(td(granted))
          .append(td(read)).append("</tr>\n");
      deliveries.add(new Bar(o.operator(), (double) o.usage().deliveries()));
      maxDeliveries = Math.max(maxDeliveries, o.usage().deliveries());
      used.add(new Bar(o.operator(), granted == 0 ? null : Math.round(1000.0 * read / granted) / 10.0));
    }
    h.append("</table>\n");
    h.append(chart("产品交付 Deliveries to partners", deliveries, maxDeliveries));
    h.append(chart("授权资源使用率 Granted tables read (%)", used, 100));
    h.append("<h3>数据来源 Where each figure comes from</h3>\n<ul>\n");
    s.sources().forEach(x -> h.append("<li>").append(escape(x)).append("</li>\n"));
    h.append("</ul>\n</body></html>\n");
    return h.toString();
  }

  /** A horizontal bar chart scaled to {@code max}. */
  static String chart(String title, List<Bar> bars, double max) {
    int rowHeight = 24;
    int width = 640;
    int labelWidth = 200;
    int height = 30 + rowHeight * Math.max(bars.size(), 1);
    StringBuilder svg = new StringBuilder();
    svg.append("<svg role=\"img\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\"><title>").append(escape(title)).append("</title>");
    svg.append("<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">").append(escape(title)).append("</text>");
    int y = 30;
    for (Bar b : bars) {
      svg.append("<text x=\"0\" y=\"").append(y + 16).append("\" font-size=\"12\">").append(escape(b.label()))
          .append("</text>");
      if (b.value() == null) {
        svg.append("<text x=\"").append(labelWidth).append("\" y=\"").append(y + 16)
            .append("\" font-size=\"12\" fill=\"#888\">n/a 无数据</text>");
      } else {
        double w = max <= 0 ? 0 : (width - labelWidth - 80) * Math.min(b.value(), max) / max;
        svg.append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y + 4).append("\" width=\"")
            .append(String.format(Locale.ROOT, "%.1f", w)).append("\" height=\"16\" fill=\"#3b7dd8\"/>")
            .append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", labelWidth + w + 6)).append("\" y=\"")
            .append(y + 16).append("\" font-size=\"12\">").append(num(b.value())).append("</text>");
      }
      y += rowHeight;
    }
    return svg.append("</svg>\n").toString();
  }

  /**
   * An organization's display name as the page shows it: one stored before free text refused a character (a zero-width
   * joiner, a direction override) shows it by its code, as {@code org list} does, so that a name that reorders the row
   * or looks like another's is seen to differ.
   */
  private static String shownName(String name) {
    return escape(VisibleText.freeText(name));
  }

  private static String td(Object v) {
    return "<td>" + escape(String.valueOf(v)) + "</td>";
  }

  private static String pct(Double v) {
    return v == null ? "—" : num(v) + "%";
  }

  private static String num(Double v) {
    return v == null ? "—" : v == Math.rint(v) ? String.valueOf(v.longValue()) : String.format(Locale.ROOT, "%.1f", v);
  }
}
