package io.evpnkit.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How the commands read their input files ({@code -} for standard input), and say what went wrong
 * in one line: no such file, permission denied, a directory, or text that is not UTF-8 (with the
 * offset of the first bad byte).
 */
final class Inputs {
  private Inputs() {}

  /** Opens {@code file} for reading, {@code -} being standard input. */
  static InputStream open(String file) throws IOException {
    return file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
  }

  /**
   * Reads {@code file} as UTF-8 text, or prints why it cannot ({@code command}: {@code file}: why)
   * and returns null.
   */
  static @Nullable String readText(String command, String file, PrintWriter err) {
    byte[] bytes;
    try (InputStream in = open(file)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      err.println(command + ": " + file + ": " + why(e));
      return null;
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      err.println(
          command
              + ": "
              + file
              + ": not UTF-8 text: an invalid byte sequence at byte offset "
              + in.position());
      return null;
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /**
   * Why an input could not be read, in words (not the exception's class, nor the file name said
   * twice).
   */
  static String why(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f) {
      String reason = f.getReason();
      return reason != null ? reason.toLowerCase(java.util.Locale.ROOT) : "cannot be read";
    }
    String m = e.getMessage();
    return m != null && !m.isBlank() ? m : e.getClass().getSimpleName();
  }
}
