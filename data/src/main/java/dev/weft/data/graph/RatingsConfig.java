package dev.weft.data.graph;

/**
 * Synthetic ratings for collaborative filtering, the Netflix substitute: users and items get latent
 * factors of the given rank, each user rates {@code ratingsPerUser} distinct items with 1 +
 * 4·(u·v)/rank plus Gaussian noise, clamped to [1, 5]. A low-rank model can fit it down to the
 * noise level, which is what a CF test checks.
 */
public record RatingsConfig(
    int users, int items, int rank, int ratingsPerUser, double noise, long seed) {

  public RatingsConfig {
    if (users < 1 || items < 1) {
      throw new IllegalArgumentException("need at least one user and one item");
    }
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be >= 1: " + rank);
    }
    if (ratingsPerUser < 1 || ratingsPerUser > items) {
      throw new IllegalArgumentException(
          "ratingsPerUser must be in 1.." + items + ": " + ratingsPerUser);
    }
    if ((long) users * ratingsPerUser > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("too many ratings");
    }
    if (!(noise >= 0) || !Double.isFinite(noise)) {
      throw new IllegalArgumentException("noise must be finite and >= 0: " + noise);
    }
  }
}
