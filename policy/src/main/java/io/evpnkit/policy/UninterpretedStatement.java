package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * A configuration statement outside the hierarchies {@link VtepConfig} interprets ({@code protocols
 * bgp ...}, {@code system ...}; {@link VtepConfig#INTERPRETED} lists the others): kept, rendered
 * back with the model, and reported, so that nothing read vanishes without a word. Equal by path:
 * the place is where it was read, which rendering changes.
 *
 * @since 0.1
 */
@Beta
public final class UninterpretedStatement implements Comparable<UninterpretedStatement> {
  private final List<String> path;
  private final int line;
  private final int column;

  /**
   * Creates one.
   *
   * @param path the statement's words, hierarchy first ({@code [protocols, bgp, group, fabric,
   *     type, internal]})
   * @param line where it was read (1-based), or 0
   * @param column where it was read (1-based), or 0
   */
  public UninterpretedStatement(List<String> path, int line, int column) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("a statement has at least one word");
    }
    this.path = List.copyOf(path);
    this.line = line;
    this.column = column;
  }

  /** Returns the statement's words, hierarchy first. */
  public List<String> path() {
    return path;
  }

  /** Returns the line it was read at (1-based), or 0 for a statement not read from text. */
  public int line() {
    return line;
  }

  /** Returns the column it was read at (1-based), or 0. */
  public int column() {
    return column;
  }

  /** Returns its first {@code n} words (all when it has fewer), as a warning names it. */
  public String head(int n) {
    return String.join(" ", path.subList(0, Math.min(n, path.size())));
  }

  @Override
  public int compareTo(UninterpretedStatement o) {
    for (int i = 0; i < Math.min(path.size(), o.path.size()); i++) {
      int c = path.get(i).compareTo(o.path.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(path.size(), o.path.size());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UninterpretedStatement u && u.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return String.join(" ", path) + (line > 0 ? " (line " + line + ", column " + column + ")" : "");
  }
}
