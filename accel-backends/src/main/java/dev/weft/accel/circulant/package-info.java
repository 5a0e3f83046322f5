/**
 * Block-circulant matrices (CirCNN, arXiv 1708.08917; E-RNN, arXiv 1812.07106) and their kernels.
 *
 * <h2>Convention (every backend and every layer built on this package must match it)</h2>
 *
 * <ul>
 *   <li>A matrix W has {@code rows} = m and {@code cols} = n and block size k. It is split into p ×
 *       q blocks of k × k with p = ⌈m/k⌉ and q = ⌈n/k⌉.
 *   <li>Block (i, j) is circulant and is stored as its <b>first column</b> w_ij (length k):
 *       W_ij[r][c] = w_ij[(r − c) mod k]. The dense entry is W[i·k + r][j·k + c] = W_ij[r][c]. With
 *       this convention W_ij·x = IFFT(FFT(w_ij) ∘ FFT(x)) (the first-row convention breaks that
 *       identity).
 *   <li>The block vectors are one flat float array, block-major: w_ij[d] is at index (i·q + j)·k +
 *       d.
 *   <li>Padding ({@link dev.weft.accel.circulant.BlockCirculantMatrix.Padding#ZERO}): when m or n
 *       is not a multiple of k, W is the top-left m × n corner of the (p·k) × (q·k) block matrix:
 *       inputs are padded with zeros up to q·k and outputs are cut to m. With {@code Padding.NONE}
 *       such shapes are rejected.
 *   <li>Products are row-major batches, as a linear layer: input X is batch × n, output Y = X·Wᵀ is
 *       batch × m (each row y = W·x). A layer adds its bias after the product.
 *   <li>Backward, for an upstream gradient δ = ∂L/∂Y (batch × m, zero-padded to p·k): ∂L/∂X = δ·W
 *       (batch × n), and ∂L/∂w_ij = Σ_batch IFFT(FFT(δ_i) ∘ conj(FFT(x_j))), i.e. ∂L/∂w_ij[d] =
 *       Σ_batch Σ_{(r − c) mod k = d} δ_i[r]·x_j[c], in the block layout above.
 * </ul>
 *
 * <p>Backends ({@link dev.weft.accel.circulant.CirculantBackend}) are found by {@link
 * java.util.ServiceLoader}; {@code reference} multiplies by the dense expansion and is the oracle
 * the others are tested against.
 */
package dev.weft.accel.circulant;
