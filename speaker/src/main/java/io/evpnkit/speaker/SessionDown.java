package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.BgpNotification;
import org.jspecify.annotations.Nullable;

/**
 * Why a session went down, or an attempt to bring it up failed.
 *
 * @param reason what happened, in words ("hold timer expired", "connection refused", ...)
 * @param notification the NOTIFICATION that ended it, or null when the connection just went away
 * @param sentByUs whether we sent the NOTIFICATION (false: the peer did)
 * @since 0.2
 */
@Beta
public record SessionDown(String reason, @Nullable BgpNotification notification, boolean sentByUs) {
  @Override
  public String toString() {
    BgpNotification n = notification;
    return n == null ? reason : reason + " (" + (sentByUs ? "sent " : "received ") + n + ")";
  }
}
