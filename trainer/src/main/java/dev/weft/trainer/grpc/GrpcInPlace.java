package dev.weft.trainer.grpc;

import dev.weft.trainer.comm.InPlaceReceives;
import dev.weft.trainer.comm.Mailbox;
import dev.weft.trainer.comm.Message;
import dev.weft.trainer.comm.ReceiveThenPlace;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link InPlaceReceives} over gRPC: announcements go to the process's {@link Placements}, so the
 * event loop adds or copies a matching chunk into the destination as it parses it and delivers only
 * a marker ({@link ChunkCodec#PLACED}). A message that arrived before its announcement (or did not
 * fit it) was parsed into an array as usual, and await places it from there.
 */
final class GrpcInPlace implements InPlaceReceives {

  private final Mailbox mailbox;
  private final ReceiveArrays arrays;
  private final Placements placements;
  private final int from;
  private final float[] dest;
  private final Map<Placements.Key, Placements.Placement> mine = new HashMap<>();

  GrpcInPlace(
      Mailbox mailbox, ReceiveArrays arrays, Placements placements, int from, float[] dest) {
    this.mailbox = mailbox;
    this.arrays = arrays;
    this.placements = placements;
    this.from = from;
    this.dest = dest;
  }

  @Override
  public void expect(String tag, long seq, int offset, int length, boolean add) {
    ReceiveThenPlace.checkRegion(dest, offset, length);
    Placements.Key k = new Placements.Key(from, tag, seq);
    Placements.Placement p = new Placements.Placement(dest, offset, length, add);
    if (mine.putIfAbsent(k, p) != null) {
      throw new IllegalStateException("'" + tag + "' seq " + seq + " announced twice");
    }
    placements.announce(k, p);
  }

  @Override
  public void await(String tag, long seq, Duration timeout) {
    Placements.Key k = new Placements.Key(from, tag, seq);
    Placements.Placement p = mine.get(k);
    if (p == null) {
      throw new IllegalStateException("'" + tag + "' seq " + seq + " was not announced");
    }
    Message m = mailbox.take(from, tag, timeout).expectSeq(seq);
    mine.remove(k);
    if (m.data() == ChunkCodec.PLACED) {
      return;
    }
    // Parsed before the announcement took effect: nothing will claim it now, but withdraw it so
    // that the registry forgets it.
    placements.withdraw(k, p);
    m.expectLength(p.length);
    ReceiveThenPlace.place(m.data(), 0, dest, p.offset, p.length, p.add);
    arrays.give(m.data());
  }

  @Override
  public void close() {
    mine.forEach(placements::withdraw);
    mine.clear();
  }
}
