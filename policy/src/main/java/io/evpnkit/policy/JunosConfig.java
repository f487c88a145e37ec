package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Junos configuration text in one canonical form: the list of its statements, each the full path of
 * words from the top of the hierarchy, as {@code show configuration | display set} prints them
 * without the {@code set}. The curly-brace hierarchy and {@code set} commands read into the same
 * form, so the two are equal when they say the same; a bracketed list ({@code members [ v100 v101
 * ];}) becomes one statement per value, as Junos displays it. Statements are kept in hierarchy
 * order, as Junos keeps them: a {@code set} command that adds to a hierarchy written earlier joins
 * it there; repeated statements, and empty containers that later got contents, are dropped.
 * Immutable.
 *
 * <p>Text: words are printable ASCII other than {@code { } [ ] ; "} and whitespace, or
 * double-quoted strings with backslash escapes; {@code #} starts a comment to the end of the line,
 * {@code /* ... *}{@code /} a block comment. Anything else, such as the typographic damage of text
 * copied from slides, is an error at its line and column.
 *
 * @since 0.1
 */
@Beta
public final class JunosConfig {
  /**
   * One statement: its words from the top of the hierarchy, and where it was written.
   *
   * @param words the path of words
   * @param line the 1-based line of its last word
   * @param column the 1-based column of its last word
   */
  public record Statement(List<String> words, int line, int column) {
    /** Copies the words. */
    public Statement {
      words = List.copyOf(words);
    }

    /** Returns whether the words start with {@code prefix}. */
    public boolean startsWith(List<String> prefix) {
      return words.size() >= prefix.size() && words.subList(0, prefix.size()).equals(prefix);
    }

    /** Returns the words as a {@code set} command. */
    public String toSetCommand() {
      StringBuilder sb = new StringBuilder("set");
      for (String w : words) {
        sb.append(' ').append(quote(w));
      }
      return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Statement s && s.words.equals(words);
    }

    @Override
    public int hashCode() {
      return words.hashCode();
    }

    @Override
    public String toString() {
      return toSetCommand();
    }
  }

  private final List<Statement> statements;

  private JunosConfig(List<Statement> statements) {
    this.statements = Collections.unmodifiableList(canonical(statements));
  }

  /**
   * Puts statements in hierarchy order, as Junos keeps them: a statement joins the others under its
   * first words at the place where that hierarchy first appeared; a repeated statement, or one that
   * is a prefix of another (an empty container that then got contents), says nothing more and goes.
   */
  private static List<Statement> canonical(List<Statement> in) {
    Node root = new Node();
    for (Statement s : in) {
      Node n = root;
      for (String w : s.words) {
        n = n.children.computeIfAbsent(w, k -> new Node());
      }
      if (n.statement == null) {
        n.statement = s;
      }
    }
    List<Statement> out = new ArrayList<>(in.size());
    flatten(root, out);
    return out;
  }

  private static void flatten(Node node, List<Statement> out) {
    for (Node child : node.children.values()) {
      Statement s = child.statement;
      if (child.children.isEmpty() && s != null) {
        out.add(s);
      } else {
        flatten(child, out);
      }
    }
  }

  /**
   * Reads configuration text: {@code set} commands when its first word is {@code set}, else the
   * curly-brace hierarchy.
   *
   * @throws ConfigException with the line and column of the first problem
   */
  public static JunosConfig parse(String text) {
    Lexer lexer = new Lexer(text);
    Token first = lexer.peek();
    List<Statement> out = new ArrayList<>();
    if (first.kind == Kind.WORD && first.text.equals("set")) {
      parseSet(lexer, out);
    } else {
      parseBlock(lexer, new ArrayList<>(), out, null, 0);
    }
    return new JunosConfig(out);
  }

  /**
   * The deepest hierarchy read ({@code a { b { ... } }}, 256 levels; Junos's own are under 20):
   * deeper text is refused with its place rather than read recursively until the stack runs out. As
   * deep as a statement may be long ({@link #MAX_WORDS}), since the curly form of a statement may
   * nest each of its words.
   */
  public static final int MAX_DEPTH = 256;

  /** The most words a statement may have, its hierarchy included (256). */
  public static final int MAX_WORDS = 256;

  private static void checkWords(List<String> words, Token at) {
    if (words.size() > MAX_WORDS) {
      throw new ConfigException(
          "a statement of more than " + MAX_WORDS + " words", at.line, at.column);
    }
  }

  private static void parseSet(Lexer lexer, List<Statement> out) {
    while (lexer.peek().kind != Kind.END) {
      Token set = lexer.next();
      if (set.kind != Kind.WORD || !set.text.equals("set")) {
        throw new ConfigException(
            "expected \"set\" at the start of a command", set.line, set.column);
      }
      List<String> words = new ArrayList<>();
      Token last = set;
      // a command ends with its line (a quoted word may span lines: the command goes on after it)
      while (lexer.peek().kind == Kind.WORD && lexer.peek().line == last.endLine) {
        last = lexer.next();
        words.add(last.text);
        checkWords(words, last);
      }
      if (lexer.peek().kind == Kind.OPEN_LIST && lexer.peek().line == last.endLine) {
        lexer.next();
        List<Token> values = list(lexer);
        for (Token v : values) {
          List<String> w = new ArrayList<>(words);
          w.add(v.text);
          out.add(new Statement(w, v.line, v.column));
        }
      } else if (lexer.peek().kind != Kind.END && lexer.peek().line == last.endLine) {
        Token t = lexer.peek();
        throw new ConfigException(
            "unexpected \"" + t.text + "\" in a set command", t.line, t.column);
      } else {
        if (words.isEmpty()) {
          throw new ConfigException("set needs a statement", set.line, set.column + 3);
        }
        out.add(new Statement(words, last.line, last.column));
      }
    }
  }

  private static List<Token> list(Lexer lexer) {
    List<Token> values = new ArrayList<>();
    while (true) {
      Token t = lexer.next();
      if (t.kind == Kind.CLOSE_LIST) {
        return values;
      }
      if (t.kind != Kind.WORD) {
        throw new ConfigException("expected a value or ']'", t.line, t.column);
      }
      values.add(t);
    }
  }

  /** Reads statements until '}' (when {@code open} is given) or the end. */
  private static void parseBlock(
      Lexer lexer, List<String> path, List<Statement> out, @Nullable Token open, int depth) {
    if (open != null && depth > MAX_DEPTH) {
      throw new ConfigException(
          "hierarchy deeper than " + MAX_DEPTH + " levels", open.line, open.column);
    }
    while (true) {
      Token t = lexer.peek();
      if (t.kind == Kind.END) {
        if (open != null) {
          throw new ConfigException(
              "expected '}' to close the '{' of line " + open.line + ", column " + open.column,
              t.line,
              t.column);
        }
        return;
      }
      if (t.kind == Kind.CLOSE_BLOCK) {
        if (open == null) {
          throw new ConfigException("'}' without a '{'", t.line, t.column);
        }
        lexer.next();
        return;
      }
      if (t.kind != Kind.WORD) {
        throw new ConfigException("expected a statement", t.line, t.column);
      }
      List<String> words = new ArrayList<>(path);
      Token last = t;
      while (lexer.peek().kind == Kind.WORD) {
        last = lexer.next();
        words.add(last.text);
        checkWords(words, last);
      }
      Token end = lexer.next();
      switch (end.kind) {
        case SEMICOLON -> out.add(new Statement(words, last.line, last.column));
        case OPEN_BLOCK -> {
          int before = out.size();
          parseBlock(lexer, words, out, end, depth + 1);
          if (out.size() == before) {
            out.add(
                new Statement(
                    words, last.line, last.column)); // an empty block still says something
          }
        }
        case OPEN_LIST -> {
          for (Token v : list(lexer)) {
            List<String> w = new ArrayList<>(words);
            w.add(v.text);
            out.add(new Statement(w, v.line, v.column));
          }
          Token semi = lexer.next();
          if (semi.kind != Kind.SEMICOLON) {
            throw new ConfigException("expected ';' after ']'", semi.line, semi.column);
          }
        }
        default ->
            throw new ConfigException(
                "expected ';' or '{' after \"" + last.text + "\"", end.line, end.column);
      }
    }
  }

  /** Returns the statements in hierarchy order (see {@link #parse}). */
  public List<Statement> statements() {
    return statements;
  }

  /** Returns the statements under a path of words, e.g. {@code select("vlans", "v100")}. */
  public List<Statement> select(String... prefix) {
    List<String> p = List.of(prefix);
    return statements.stream().filter(s -> s.startsWith(p)).toList();
  }

  /** Returns a configuration of the given statements (each a path of words), without positions. */
  public static JunosConfig of(List<List<String>> statements) {
    List<Statement> out = new ArrayList<>(statements.size());
    for (List<String> words : statements) {
      if (words.isEmpty()) {
        throw new IllegalArgumentException("a statement needs at least one word");
      }
      out.add(new Statement(words, 0, 0));
    }
    return new JunosConfig(out);
  }

  private static final class Node {
    final java.util.LinkedHashMap<String, Node> children = new java.util.LinkedHashMap<>();
    @Nullable Statement statement;
  }

  /**
   * Returns the configuration in the curly-brace hierarchy, as {@code show configuration} prints it
   * (four spaces of indentation, {@code [ ]} for lists of values). It parses back to an equal
   * configuration.
   */
  public String format() {
    Node root = new Node();
    for (Statement s : statements) {
      Node n = root;
      for (String w : s.words) {
        n = n.children.computeIfAbsent(w, k -> new Node());
      }
    }
    StringBuilder sb = new StringBuilder();
    root.children.forEach((k, n) -> emit(sb, quote(k), k, JunosSchema.ROOT.child(k), n, 0, true));
    return sb.toString();
  }

  /**
   * Shows one node and what is under it; the layout of each keyword is the schema's ({@link
   * JunosSchema.Layout}), or Junos's usual one for hierarchies evpnkit does not interpret.
   */
  private static void emit(
      StringBuilder sb,
      String label,
      String keyword,
      JunosSchema.@Nullable Node schema,
      Node node,
      int depth,
      boolean block) {
    String indent = "    ".repeat(depth);
    if (node.children.isEmpty()) {
      sb.append(indent).append(label).append(";\n");
      return;
    }
    JunosSchema.Layout layout = JunosSchema.layout(schema, keyword);
    if (!block && layout != JunosSchema.Layout.BLOCK) {
      StringBuilder line = new StringBuilder(label);
      Node n = node;
      while (n.children.size() == 1) {
        var e = n.children.entrySet().iterator().next();
        if (e.getValue().children.isEmpty()) {
          sb.append(indent).append(line).append(' ').append(quote(e.getKey())).append(";\n");
          return;
        }
        line.append(' ').append(quote(e.getKey()));
        n = e.getValue();
      }
      if (n.children.values().stream().allMatch(c -> c.children.isEmpty())
          && (n != node || layout != JunosSchema.Layout.LINES)) {
        sb.append(indent).append(line).append(" [");
        n.children.keySet().forEach(v -> sb.append(' ').append(quote(v)));
        sb.append(" ];\n");
        return;
      }
    }
    sb.append(indent).append(label).append(" {\n");
    node.children.forEach(
        (k, child) -> {
          JunosSchema.Node cs = schema == null ? null : schema.child(k);
          JunosSchema.Layout cl = JunosSchema.layout(cs, k);
          boolean named = cl == JunosSchema.Layout.NAMED;
          if ((named || cl == JunosSchema.Layout.REPEAT) && !child.children.isEmpty()) {
            child.children.forEach(
                (name, c) ->
                    emit(
                        sb,
                        quote(k) + " " + quote(name),
                        k,
                        cs == null || cs.isList() ? cs : cs.child(name),
                        c,
                        depth + 1,
                        named));
          } else {
            emit(sb, quote(k), k, cs, child, depth + 1, cs != null && cs.isName());
          }
        });
    sb.append(indent).append("}\n");
  }

  /**
   * Returns the configuration as {@code set} commands, one per line ({@code show configuration |
   * display set}).
   */
  public String toSetCommands() {
    StringBuilder sb = new StringBuilder();
    for (Statement s : statements) {
      sb.append(s.toSetCommand()).append('\n');
    }
    return sb.toString();
  }

  private static String quote(String word) {
    if (word.startsWith("/*")) { // would read back as a comment
      return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
    for (int i = 0; i < word.length(); i++) {
      if (!Lexer.isWordChar(word.charAt(i))) {
        return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
      }
    }
    return word.isEmpty() ? "\"\"" : word;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JunosConfig c && c.statements.equals(statements);
  }

  @Override
  public int hashCode() {
    return statements.hashCode();
  }

  @Override
  public String toString() {
    return toSetCommands();
  }

  private enum Kind {
    WORD,
    OPEN_BLOCK,
    CLOSE_BLOCK,
    OPEN_LIST,
    CLOSE_LIST,
    SEMICOLON,
    END
  }

  private record Token(Kind kind, String text, int line, int column, int endLine) {
    Token(Kind kind, String text, int line, int column) {
      this(kind, text, line, column, line);
    }
  }

  /** Splits the text into tokens, tracking lines and columns. */
  private static final class Lexer {
    private final String text;
    private int at;
    private int line = 1;
    private int lineStart;
    private @Nullable Token peeked;

    Lexer(String text) {
      this.text = text;
    }

    static boolean isWordChar(char c) {
      return c > 0x20 && c < 0x7F && "{}[];\"#".indexOf(c) < 0;
    }

    Token peek() {
      Token t = peeked;
      if (t == null) {
        t = read();
        peeked = t;
      }
      return t;
    }

    Token next() {
      Token t = peek();
      peeked = null;
      return t;
    }

    private Token read() {
      skipSpaceAndComments();
      int column = at - lineStart + 1;
      if (at >= text.length()) {
        return new Token(Kind.END, "", line, column);
      }
      char c = text.charAt(at);
      Kind single =
          switch (c) {
            case '{' -> Kind.OPEN_BLOCK;
            case '}' -> Kind.CLOSE_BLOCK;
            case '[' -> Kind.OPEN_LIST;
            case ']' -> Kind.CLOSE_LIST;
            case ';' -> Kind.SEMICOLON;
            default -> null;
          };
      if (single != null) {
        at++;
        return new Token(single, String.valueOf(c), line, column);
      }
      if (c == '"') {
        StringBuilder sb = new StringBuilder();
        int startLine = line;
        at++;
        while (true) {
          if (at >= text.length()) {
            throw new ConfigException("unterminated quoted string", startLine, column);
          }
          char q = text.charAt(at++);
          if (q == '"') {
            return new Token(Kind.WORD, sb.toString(), startLine, column, line);
          }
          if (q == '\\' && at < text.length()) {
            q = text.charAt(at++);
          } else if (q == '\n') {
            line++;
            lineStart = at;
          }
          sb.append(q);
        }
      }
      if (!isWordChar(c)) {
        throw new ConfigException(
            String.format("unexpected character '%c' (U+%04X)", c, (int) c), line, column);
      }
      int start = at;
      while (at < text.length() && isWordChar(text.charAt(at))) {
        at++;
      }
      if (at < text.length()
          && !Character.isWhitespace(text.charAt(at))
          && "{}[];\"#".indexOf(text.charAt(at)) < 0) {
        char bad = text.charAt(at);
        throw new ConfigException(
            String.format("unexpected character '%c' (U+%04X)", bad, (int) bad),
            line,
            at - lineStart + 1);
      }
      return new Token(Kind.WORD, text.substring(start, at), line, column);
    }

    private void skipSpaceAndComments() {
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '\n') {
          line++;
          at++;
          lineStart = at;
        } else if (c == ' ' || c == '\t' || c == '\r') {
          at++;
        } else if (c == '#') {
          while (at < text.length() && text.charAt(at) != '\n') {
            at++;
          }
        } else if (c == '/' && text.startsWith("/*", at)) {
          int end = text.indexOf("*/", at + 2);
          if (end < 0) {
            throw new ConfigException("unterminated comment", line, at - lineStart + 1);
          }
          for (int i = at; i < end; i++) {
            if (text.charAt(i) == '\n') {
              line++;
              lineStart = i + 1;
            }
          }
          at = end + 2;
        } else {
          return;
        }
      }
    }
  }
}
