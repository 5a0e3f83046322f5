package dev.weft.data.graph;

/**
 * How to read an edge-list file.
 *
 * @param directed false: each line is an undirected edge and is stored in both directions
 * @param weighted true: a third column holds the edge weight and is required on every line
 * @param idBase whether the file counts vertices from 0 or from 1
 * @param numVertices the vertex count, or -1 to use the largest id seen; when given, larger ids are
 *     an error
 */
public record LoadOptions(boolean directed, boolean weighted, IdBase idBase, int numVertices) {

  public LoadOptions {
    if (idBase == null) {
      throw new IllegalArgumentException("idBase must not be null");
    }
    if (numVertices < -1) {
      throw new IllegalArgumentException("numVertices must be -1 (infer) or >= 0: " + numVertices);
    }
  }

  /** SNAP's convention: directed, unweighted, 0-based, vertex count inferred. */
  public static LoadOptions snap() {
    return new LoadOptions(true, false, IdBase.ZERO, -1);
  }

  public LoadOptions withDirected(boolean value) {
    return new LoadOptions(value, weighted, idBase, numVertices);
  }

  public LoadOptions withWeighted(boolean value) {
    return new LoadOptions(directed, value, idBase, numVertices);
  }

  public LoadOptions withIdBase(IdBase value) {
    return new LoadOptions(directed, weighted, value, numVertices);
  }

  public LoadOptions withNumVertices(int value) {
    return new LoadOptions(directed, weighted, idBase, value);
  }
}
