package io.evpnkit.conformance;

import io.evpnkit.testkit.LeakRecorder;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class of this module (autodetection, see junit-platform.properties):
 * installs {@link LeakRecorder} before the first buffer exists and fails a test class after which
 * Netty's PARANOID detector reported an unreleased buffer.
 */
public final class NoLeaksExtension implements AfterAllCallback {
  static {
    LeakRecorder.install();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = LeakRecorder.collect();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size()
              + " ByteBuf leak(s) after "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n", leaks));
    }
  }
}
