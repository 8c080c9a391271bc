package io.dataops.scheduler.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Airflow's answers into records, checking the fields this client relies on: a missing or mistyped one is an
 * {@link AirflowException} naming it, not a null further on.
 */
final class Parse {
  private Parse() {}

  record Page(List<TaskInstance> tasks, int total) {}

  /** v1 {@code DAGRun}, v2 {@code DAGRunResponse}. */
  static DagRun run(Http http, Http.Answer a) {
    JsonNode j = object(http, a, "a DAG run");
    String state = text(http, a, j, "state", true);
    DagRunState s = DagRunState.parse(state);
    if (s == null) {
      throw http.unexpected(a, "state '" + state + "' is none of queued, running, success, failed");
    }
    Map<String, Object> conf = new LinkedHashMap<>();
    JsonNode c = j.get("conf");
    if (c != null && !c.isNull()) {
      if (!c.isObject()) {
        throw http.unexpected(a, "conf is not an object");
      }
      conf = Http.JSON.convertValue(c, Map.class);
    }
    return new DagRun(text(http, a, j, "dag_id", true), text(http, a, j, "dag_run_id", true), s,
        text(http, a, j, "logical_date", false), text(http, a, j, "start_date", false),
        text(http, a, j, "end_date", false), conf);
  }

  /** v1 {@code TaskInstanceCollection}, v2 {@code TaskInstanceCollectionResponse}. */
  static Page taskPage(Http http, Http.Answer a) {
    JsonNode j = object(http, a, "a page of task instances");
    JsonNode items = j.get("task_instances");
    if (items == null || !items.isArray()) {
      throw http.unexpected(a, "task_instances is missing or not a list");
    }
    JsonNode total = j.get("total_entries");
    if (total == null || !total.canConvertToInt()) {
      throw http.unexpected(a, "total_entries is missing or not a number");
    }
    List<TaskInstance> tasks = new ArrayList<>();
    for (JsonNode t : items) {
      if (!t.isObject()) {
        throw http.unexpected(a, "a task instance is not an object");
      }
      tasks.add(new TaskInstance(text(http, a, t, "task_id", true), integer(http, a, t, "map_index", -1),
          text(http, a, t, "state", false), integer(http, a, t, "try_number", 0), text(http, a, t, "start_date", false),
          text(http, a, t, "end_date", false)));
    }
    return new Page(tasks, total.asInt());
  }

  /** v1 {@code DAG}, v2 {@code DAGResponse}. */
  static Dag dag(Http http, Http.Answer a) {
    JsonNode j = object(http, a, "a DAG");
    JsonNode paused = j.get("is_paused");
    if (paused == null || !paused.isBoolean()) {
      throw http.unexpected(a, "is_paused is missing or not true/false");
    }
    return new Dag(text(http, a, j, "dag_id", true), paused.asBoolean());
  }

  private static JsonNode object(Http http, Http.Answer a, String what) {
    JsonNode j = a.json();
    if (j == null || !j.isObject()) {
      throw http.unexpected(a, "expected " + what + " as a JSON object");
    }
    return j;
  }

  private static String text(Http http, Http.Answer a, JsonNode j, String field, boolean required) {
    JsonNode v = j.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw http.unexpected(a, "field '" + field + "' is missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw http.unexpected(a, "field '" + field + "' is not text");
    }
    return v.asText();
  }

  private static int integer(Http http, Http.Answer a, JsonNode j, String field, int absent) {
    JsonNode v = j.get(field);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw http.unexpected(a, "field '" + field + "' is not a whole number");
    }
    return v.asInt();
  }
}
