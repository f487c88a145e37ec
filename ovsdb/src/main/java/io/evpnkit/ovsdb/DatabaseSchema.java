package io.evpnkit.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A database schema as {@code get_schema} returns it (RFC 7047 §3.2): tables, their columns with
 * their types (§3.2: atomic type, referenced table, minimum and maximum number of elements), which
 * tables are roots (rows of other tables are garbage collected when nothing refers to them) and
 * their indexes. Immutable.
 *
 * @param name the database's name
 * @param version the schema's version, e.g. {@code 1.7.1}
 * @param tables the tables by name
 * @since 0.2
 */
public record DatabaseSchema(String name, String version, Map<String, Table> tables) {
  /** Copies the tables. */
  public DatabaseSchema {
    tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
  }

  /**
   * A table of the schema.
   *
   * @param name its name
   * @param columns its columns by name ({@code _uuid} and {@code _version} are implied, not here)
   * @param isRoot whether its rows live without references (§3.2 {@code isRoot})
   * @param indexes its indexes, each a list of column names
   */
  public record Table(
      String name, Map<String, Column> columns, boolean isRoot, List<List<String>> indexes) {
    /** Copies the columns and indexes. */
    public Table {
      columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
      indexes = indexes.stream().map(List::copyOf).toList();
    }

    /**
     * The column {@code column}.
     *
     * @throws IllegalStateException if the table has none of that name
     */
    public Column column(String column) {
      Column c = columns.get(column);
      if (c == null) {
        throw new IllegalStateException("table " + name + " has no column " + column);
      }
      return c;
    }
  }

  /**
   * A column's type (§3.2 {@code <type>}).
   *
   * @param name the column's name
   * @param keyType the atomic type of its keys (or of its values, for a set or scalar): {@code
   *     integer}, {@code real}, {@code boolean}, {@code string} or {@code uuid}
   * @param refTable the table a {@code uuid} key refers to, or {@code null}
   * @param valueType the atomic type of a map's values, or {@code null} for a set or scalar
   * @param valueRefTable the table a map's {@code uuid} values refer to, or {@code null}
   * @param min the minimum number of elements (0 makes the column optional)
   * @param max the maximum number of elements ({@link Integer#MAX_VALUE} for {@code "unlimited"})
   * @param mutable whether the column may change after insertion
   */
  public record Column(
      String name,
      String keyType,
      @Nullable String refTable,
      @Nullable String valueType,
      @Nullable String valueRefTable,
      int min,
      int max,
      boolean mutable) {
    /** Whether it is a map. */
    public boolean isMap() {
      return valueType != null;
    }
  }

  /**
   * The table {@code table}.
   *
   * @throws IllegalStateException if the database has no table of that name
   */
  public Table table(String table) {
    Table t = tables.get(table);
    if (t == null) {
      throw new IllegalStateException("database " + name + " has no table " + table);
    }
    return t;
  }

  /**
   * Checks that {@code table} has {@code column} with keys of atomic type {@code keyType} (and
   * referring to {@code refTable} when not {@code null}).
   *
   * @throws IllegalStateException saying what differs
   */
  public Column require(String table, String column, String keyType, @Nullable String refTable) {
    Column c = table(table).column(column);
    if (!c.keyType().equals(keyType) || (refTable != null && !refTable.equals(c.refTable()))) {
      throw new IllegalStateException(
          "column "
              + table
              + "."
              + column
              + " of database "
              + name
              + " holds "
              + c.keyType()
              + (c.refTable() == null ? "" : " of " + c.refTable())
              + ", not "
              + keyType
              + (refTable == null ? "" : " of " + refTable));
    }
    return c;
  }

  /**
   * Reads the JSON of {@code get_schema}.
   *
   * @throws IllegalArgumentException if it is not a schema, saying where
   */
  public static DatabaseSchema parse(JsonNode json) {
    if (!json.isObject() || !json.path("name").isTextual() || !json.path("tables").isObject()) {
      throw new IllegalArgumentException("not an OVSDB schema: no name or tables");
    }
    Map<String, Table> tables = new LinkedHashMap<>();
    json.get("tables")
        .properties()
        .forEach(
            t -> {
              Map<String, Column> columns = new LinkedHashMap<>();
              t.getValue()
                  .path("columns")
                  .properties()
                  .forEach(
                      c -> columns.put(c.getKey(), column(t.getKey(), c.getKey(), c.getValue())));
              List<List<String>> indexes = new java.util.ArrayList<>();
              for (JsonNode index : t.getValue().path("indexes")) {
                List<String> names = new java.util.ArrayList<>();
                index.forEach(n -> names.add(n.asText()));
                indexes.add(names);
              }
              tables.put(
                  t.getKey(),
                  new Table(
                      t.getKey(), columns, t.getValue().path("isRoot").asBoolean(false), indexes));
            });
    return new DatabaseSchema(json.get("name").asText(), json.path("version").asText(""), tables);
  }

  private static Column column(String table, String name, JsonNode column) {
    JsonNode type = column.get("type");
    if (type == null) {
      throw new IllegalArgumentException("column " + table + "." + name + " has no type");
    }
    boolean mutable = column.path("mutable").asBoolean(true);
    if (type.isTextual()) {
      return new Column(name, type.asText(), null, null, null, 1, 1, mutable);
    }
    JsonNode key = type.path("key");
    JsonNode value = type.get("value");
    int min = type.path("min").asInt(1);
    JsonNode maxNode = type.path("max");
    int max =
        maxNode.isTextual() && "unlimited".equals(maxNode.asText())
            ? Integer.MAX_VALUE
            : maxNode.asInt(1);
    return new Column(
        name,
        atomicType(key),
        refTable(key),
        value == null ? null : atomicType(value),
        value == null ? null : refTable(value),
        min,
        max,
        mutable);
  }

  private static String atomicType(JsonNode base) {
    return base.isTextual() ? base.asText() : base.path("type").asText();
  }

  private static @Nullable String refTable(JsonNode base) {
    return base.isObject() && base.hasNonNull("refTable") ? base.get("refTable").asText() : null;
  }
}
