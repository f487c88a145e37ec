package io.evpnkit.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Standard output as the commands write it: a {@link java.io.PrintWriter} over this keeps its habit
 * of not throwing, but this remembers the first write error, so that {@link Main} can say it and
 * exit 1 (a full disk) or stop quietly (a reader that went away, as {@code | head} does), instead
 * of exiting 0 with the output lost.
 */
final class Output extends Writer {
  private final Writer out;
  private @Nullable IOException failure;

  Output(OutputStream stream) {
    this.out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
  }

  /** The first write error, or {@code null}. */
  @Nullable IOException failure() {
    return failure;
  }

  /**
   * Whether the error is the reader having gone away (EPIPE), which a pipeline's {@code head} does
   * on purpose.
   */
  static boolean isBrokenPipe(IOException e) {
    String m = e.getMessage();
    return m != null && m.contains("Broken pipe");
  }

  private IOException failed(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    try {
      out.write(buf, off, len);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } catch (IOException e) {
      throw failed(e);
    }
  }
}
