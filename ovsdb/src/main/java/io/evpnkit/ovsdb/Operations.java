package io.evpnkit.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The operations of an OVSDB transaction (RFC 7047 §5.2) and the notation of their values (§5.1):
 * atoms, {@code ["uuid", …]}, {@code ["named-uuid", …]}, {@code ["set", […]]} and {@code ["map",
 * […]]}, and {@code where} conditions. Each method returns a new JSON tree; nothing is shared.
 *
 * @since 0.2
 */
public final class Operations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Operations() {}

  /**
   * {@code insert} (§5.2.1); {@code uuidName}, when given, names the new row for later operations.
   */
  public static ObjectNode insert(String table, ObjectNode row, @Nullable String uuidName) {
    ObjectNode op = op("insert", table);
    op.set("row", row);
    if (uuidName != null) {
      op.put("uuid-name", uuidName);
    }
    return op;
  }

  /** {@code select} (§5.2.2) of {@code columns} (all when none are given). */
  public static ObjectNode select(String table, ArrayNode where, String... columns) {
    ObjectNode op = op("select", table);
    op.set("where", where);
    if (columns.length > 0) {
      ArrayNode c = op.putArray("columns");
      for (String column : columns) {
        c.add(column);
      }
    }
    return op;
  }

  /** {@code update} (§5.2.3). */
  public static ObjectNode update(String table, ArrayNode where, ObjectNode row) {
    ObjectNode op = op("update", table);
    op.set("where", where);
    op.set("row", row);
    return op;
  }

  /**
   * {@code mutate} (§5.2.4): {@code mutations} is an array of {@code [column, mutator, value]} (see
   * {@link #mutation}).
   */
  public static ObjectNode mutate(String table, ArrayNode where, ArrayNode mutations) {
    ObjectNode op = op("mutate", table);
    op.set("where", where);
    op.set("mutations", mutations);
    return op;
  }

  /** {@code delete} (§5.2.5). */
  public static ObjectNode delete(String table, ArrayNode where) {
    ObjectNode op = op("delete", table);
    op.set("where", where);
    return op;
  }

  /**
   * {@code wait} (§5.2.6): the transaction waits until (or, with {@code equal} false, while) the
   * rows {@code where} selects have exactly {@code rows} in {@code columns}, for at most {@code
   * timeoutMillis} (0: fail at once).
   */
  public static ObjectNode wait(
      String table,
      ArrayNode where,
      Collection<String> columns,
      boolean equal,
      ArrayNode rows,
      long timeoutMillis) {
    ObjectNode op = op("wait", table);
    op.put("timeout", timeoutMillis);
    op.set("where", where);
    ArrayNode c = op.putArray("columns");
    columns.forEach(c::add);
    op.put("until", equal ? "==" : "!=");
    op.set("rows", rows);
    return op;
  }

  /** {@code comment} (§5.2.7): written to the server's log. */
  public static ObjectNode comment(String text) {
    ObjectNode op = NODES.objectNode();
    op.put("op", "comment");
    op.put("comment", text);
    return op;
  }

  private static ObjectNode op(String name, String table) {
    ObjectNode op = NODES.objectNode();
    op.put("op", name);
    op.put("table", table);
    return op;
  }

  // ------------------------------------------------------------------------------------ values

  /** A {@code where} clause of the given conditions (all must hold); none selects every row. */
  public static ArrayNode where(ArrayNode... conditions) {
    ArrayNode w = NODES.arrayNode();
    for (ArrayNode c : conditions) {
      w.add(c);
    }
    return w;
  }

  /** A condition {@code [column, function, value]} (§5.1), e.g. {@code ==}, {@code includes}. */
  public static ArrayNode condition(String column, String function, JsonNode value) {
    return NODES.arrayNode().add(column).add(function).add(value);
  }

  /** The condition {@code column == value}. */
  public static ArrayNode eq(String column, JsonNode value) {
    return condition(column, "==", value);
  }

  /** The condition {@code column == value} for a string. */
  public static ArrayNode eq(String column, String value) {
    return condition(column, "==", NODES.textNode(value));
  }

  /** The condition {@code _uuid == uuid}. */
  public static ArrayNode uuidIs(String uuid) {
    return condition("_uuid", "==", uuid(uuid));
  }

  /** A mutation {@code [column, mutator, value]} (§5.1), e.g. {@code insert} into a set or map. */
  public static ArrayNode mutation(String column, String mutator, JsonNode value) {
    return NODES.arrayNode().add(column).add(mutator).add(value);
  }

  /** {@code ["uuid", uuid]}. */
  public static ArrayNode uuid(String uuid) {
    return NODES.arrayNode().add("uuid").add(uuid);
  }

  /** {@code ["named-uuid", name]}: a row inserted earlier in the same transaction. */
  public static ArrayNode namedUuid(String name) {
    return NODES.arrayNode().add("named-uuid").add(name);
  }

  /** {@code ["set", [values…]]}. */
  public static ArrayNode set(Collection<? extends JsonNode> values) {
    ArrayNode inner = NODES.arrayNode();
    values.forEach(inner::add);
    return NODES.arrayNode().add("set").add(inner);
  }

  /** {@code ["map", [[key, value]…]]}. */
  public static ArrayNode map(Map<? extends JsonNode, ? extends JsonNode> pairs) {
    ArrayNode inner = NODES.arrayNode();
    pairs.forEach((k, v) -> inner.add(NODES.arrayNode().add(k).add(v)));
    return NODES.arrayNode().add("map").add(inner);
  }

  /** The empty set, which is also an optional column's "no value". */
  public static ArrayNode emptySet() {
    return NODES.arrayNode().add("set").add(NODES.arrayNode());
  }

  /**
   * The elements of a set-typed value: a set of one may be written as its element alone (§5.1);
   * returns the elements of {@code ["set", […]]}, the element itself otherwise.
   */
  public static java.util.List<JsonNode> elements(@Nullable JsonNode value) {
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    if (value == null || value.isMissingNode() || value.isNull()) {
      return out;
    }
    if (value.isArray() && value.size() == 2 && "set".equals(value.get(0).asText())) {
      value.get(1).forEach(out::add);
    } else {
      out.add(value);
    }
    return out;
  }

  /** The pairs of a map-typed value {@code ["map", [[k, v]…]]}, in order. */
  public static java.util.List<Map.Entry<JsonNode, JsonNode>> pairs(@Nullable JsonNode value) {
    java.util.List<Map.Entry<JsonNode, JsonNode>> out = new java.util.ArrayList<>();
    if (value != null
        && value.isArray()
        && value.size() == 2
        && "map".equals(value.get(0).asText())) {
      for (JsonNode pair : value.get(1)) {
        out.add(Map.entry(pair.get(0), pair.get(1)));
      }
    }
    return out;
  }

  /** The UUID string of {@code ["uuid", u]}, or {@code null} for anything else. */
  public static @Nullable String uuidOf(@Nullable JsonNode value) {
    if (value != null
        && value.isArray()
        && value.size() == 2
        && "uuid".equals(value.get(0).asText())) {
      return value.get(1).asText();
    }
    return null;
  }
}
