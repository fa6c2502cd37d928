/*
 * transportlab_blas: a Node-API addon running OpenBLAS's single-precision matrix product
 * (cblas_sgemm, row-major, with its transpose flags) directly on Float32Array views, e.g. views
 * of TensorFlow.js's wasm heap, so that products run at the native roofline with no copies,
 * transposes or repacking on the JavaScript side. Plus the two memory-bound helpers of a dense
 * layer (bias rows, column sums, the SiLU backward pass), the fused MLP's elementwise passes
 * (SiLU with its derivative in place, G ⊙ D with its column sums) and OpenBLAS's thread/core queries.
 *
 * Every array argument is bounds-checked against the extent the product touches, and the
 * output may not overlap an input (all views may share one heap); violations throw a
 * RangeError/TypeError instead of reading or writing outside the views.
 *
 * The OpenBLAS entry points are declared here (the standard CBLAS row-major interface and
 * OpenBLAS's extensions), so the addon builds against the runtime library alone
 * (libopenblas.so.0) when no development headers are installed.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>

enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);

/* Throws a JavaScript error and makes the caller return NULL. */
#define FAIL(env, kind, msg)              \
  do {                                    \
    napi_throw_##kind((env), NULL, (msg)); \
    return NULL;                          \
  } while (0)

/* A Float32Array argument: its data pointer (view offset included) and element count. */
static int get_f32(napi_env env, napi_value v, float **data, size_t *len) {
  bool is_ta = false;
  napi_typedarray_type type;
  void *ptr = NULL;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  if (napi_get_typedarray_info(env, v, &type, len, &ptr, NULL, NULL) != napi_ok || type != napi_float32_array) return 0;
  if (ptr == NULL && *len > 0) return 0; /* detached buffer */
  *data = (float *)ptr;
  return 1;
}

/* A non-negative integer argument below 2^31. */
static int get_dim(napi_env env, napi_value v, int64_t *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) return 0;
  if (!(d >= 0 && d < 2147483648.0) || d != (double)(int64_t)d) return 0;
  *out = (int64_t)d;
  return 1;
}

/* Whether a stored [rows, cols] matrix with leading dimension ld fits in len elements. */
static int fits(int64_t rows, int64_t cols, int64_t ld, size_t len) {
  if (ld < (cols > 1 ? cols : 1)) return 0;
  if (rows == 0 || cols == 0) return 1;
  return (uint64_t)((rows - 1) * ld + cols) <= (uint64_t)len;
}

/* Whether [p, p + n) and [q, q + m) (in floats) overlap. */
static int overlap(const float *p, size_t n, const float *q, size_t m) {
  return n > 0 && m > 0 && p < q + m && q < p + n;
}

/*
 * sgemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc):
 * C ← alpha · op(A) · op(B) + beta · C, row-major, op(A) [m, k], op(B) [k, n], C [m, n].
 */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 13) FAIL(env, type_error, "sgemm expects 13 arguments");
  bool ta, tb;
  if (napi_get_value_bool(env, argv[0], &ta) != napi_ok || napi_get_value_bool(env, argv[1], &tb) != napi_ok) {
    FAIL(env, type_error, "sgemm: transA and transB must be booleans");
  }
  int64_t m, n, k, lda, ldb, ldc;
  if (!get_dim(env, argv[2], &m) || !get_dim(env, argv[3], &n) || !get_dim(env, argv[4], &k) || !get_dim(env, argv[7], &lda) ||
      !get_dim(env, argv[9], &ldb) || !get_dim(env, argv[12], &ldc)) {
    FAIL(env, range_error, "sgemm: m, n, k, lda, ldb and ldc must be integers in [0, 2^31)");
  }
  double alpha, beta;
  if (napi_get_value_double(env, argv[5], &alpha) != napi_ok || napi_get_value_double(env, argv[10], &beta) != napi_ok) {
    FAIL(env, type_error, "sgemm: alpha and beta must be numbers");
  }
  float *a, *b, *c;
  size_t na, nb, nc;
  if (!get_f32(env, argv[6], &a, &na) || !get_f32(env, argv[8], &b, &nb) || !get_f32(env, argv[11], &c, &nc)) {
    FAIL(env, type_error, "sgemm: A, B and C must be attached Float32Arrays");
  }
  if (!fits(ta ? k : m, ta ? m : k, lda, na)) FAIL(env, range_error, "sgemm: A is too short for op(A) [m, k] with this lda");
  if (!fits(tb ? n : k, tb ? k : n, ldb, nb)) FAIL(env, range_error, "sgemm: B is too short for op(B) [k, n] with this ldb");
  if (!fits(m, n, ldc, nc)) FAIL(env, range_error, "sgemm: C is too short for [m, n] with this ldc");
  if (overlap(c, nc, a, na) || overlap(c, nc, b, nb)) FAIL(env, range_error, "sgemm: C overlaps A or B");
  if (m > 0 && n > 0) {
    cblas_sgemm(CBLAS_ROW_MAJOR, ta ? CBLAS_TRANS : CBLAS_NO_TRANS, tb ? CBLAS_TRANS : CBLAS_NO_TRANS, (int)m, (int)n, (int)k,
                (float)alpha, a, (int)(lda), b, (int)ldb, (float)beta, c, (int)ldc);
  }
  return NULL;
}

/* fillRows(v, C): C[i, :] = v for every row i of C (C.length a multiple of v.length). */
static napi_value fill_rows(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2) FAIL(env, type_error, "fillRows expects 2 arguments");
  float *v, *c;
  size_t nv, nc;
  if (!get_f32(env, argv[0], &v, &nv) || !get_f32(env, argv[1], &c, &nc)) FAIL(env, type_error, "fillRows: v and C must be attached Float32Arrays");
  if (nv == 0 ? nc != 0 : nc % nv != 0) FAIL(env, range_error, "fillRows: C.length must be a multiple of v.length");
  if (overlap(c, nc, v, nv)) FAIL(env, range_error, "fillRows: C overlaps v");
  for (size_t i = 0; i < nc; i += nv)
    for (size_t j = 0; j < nv; j++) c[i + j] = v[j];
  return NULL;
}

/*
 * sumRows(A, cols, out): out[j] = Σ_i A[i, j] for a row-major [A.length / cols, cols] matrix,
 * accumulated in double precision, rows in order (deterministic), then rounded to float32.
 */
static napi_value sum_rows(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3) FAIL(env, type_error, "sumRows expects 3 arguments");
  float *a, *out;
  size_t na, nout;
  int64_t cols;
  if (!get_f32(env, argv[0], &a, &na) || !get_f32(env, argv[2], &out, &nout)) FAIL(env, type_error, "sumRows: A and out must be attached Float32Arrays");
  if (!get_dim(env, argv[1], &cols) || cols == 0 || na % (size_t)cols != 0 || nout != (size_t)cols) {
    FAIL(env, range_error, "sumRows: cols must be a positive divisor of A.length and equal out.length");
  }
  if (overlap(out, nout, a, na)) FAIL(env, range_error, "sumRows: out overlaps A");
  double *acc = calloc((size_t)cols, sizeof(double));
  if (acc == NULL) FAIL(env, error, "sumRows: out of memory");
  for (size_t i = 0; i < na; i += (size_t)cols)
    for (size_t j = 0; j < (size_t)cols; j++) acc[j] += a[i + j];
  for (size_t j = 0; j < (size_t)cols; j++) out[j] = (float)acc[j];
  free(acc);
  return NULL;
}

/*
 * siluBackward(dy, s, h, du): du = dy · (s + (h − h · s)) elementwise, for s = σ(u), h = u σ(u)
 * (silu′(u) = σ(u)(1 + u(1 − σ(u)))). Each operation is rounded to float32 in this order (built
 * with -ffp-contract=off: no fused multiply-adds), so the result is bit-identical to the same
 * four elementwise tensor ops, in one pass instead of four.
 */
static napi_value silu_backward(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4) FAIL(env, type_error, "siluBackward expects 4 arguments");
  float *dy, *s, *h, *du;
  size_t ndy, ns, nh, ndu;
  if (!get_f32(env, argv[0], &dy, &ndy) || !get_f32(env, argv[1], &s, &ns) || !get_f32(env, argv[2], &h, &nh) || !get_f32(env, argv[3], &du, &ndu)) {
    FAIL(env, type_error, "siluBackward: dy, s, h and du must be attached Float32Arrays");
  }
  if (ns != ndy || nh != ndy || ndu != ndy) FAIL(env, range_error, "siluBackward: dy, s, h and du must have the same length");
  if (overlap(du, ndu, dy, ndy) || overlap(du, ndu, s, ns) || overlap(du, ndu, h, nh)) FAIL(env, range_error, "siluBackward: du overlaps an input");
  for (size_t i = 0; i < ndy; i++) {
    float hs = h[i] * s[i];
    du[i] = dy[i] * (s[i] + (h[i] - hs));
  }
  return NULL;
}

/*
 * Elementwise kernels are compiled for AVX-512, AVX2 and baseline x86-64, the best picked at load
 * time (GCC function multiversioning on x86-64 Linux); every variant runs the same float32
 * operations in the same order without fused multiply-adds, so all give the same bits.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

/*
 * The SiLU pass of the fused MLP over one row, after adding the bias: u ← u + b, then, bit-
 * identical to the fused MLP's WebAssembly-SIMD kernel (src/nn/fusedMlp.ts, with Cephes expf of
 * src/targets/wasm-simd.ts): for x = −|u| clamped at −87, k = round(x log2 e) (by adding and
 * subtracting 1.5·2²³), r = (x − k C1) − k C2, t = r², e = 2^k ((((P0 r + P1) t + (P2 r + P3)) t
 * + (P4 r + P5)) t + r + 1) = exp(−|u|); σ = 1/(1 + e) for u ≥ 0, else e/(1 + e); h = u σ is
 * written over u, d = σ + h (1 − σ).
 */
VECTOR_CLONES static void silu_row(float *restrict u, const float *restrict b, float *restrict d, size_t n) {
  const float log2e = 1.44269504088896341f, round = 12582912.0f, c1 = 0.693359375f, c2 = -2.1219444e-4f;
  const float p0 = 1.98756915e-4f, p1 = 1.3981999507e-3f, p2 = 8.3334519073e-3f, p3 = 4.1665795894e-2f, p4 = 1.6666665459e-1f,
              p5 = 5.0000001201e-1f;
  for (size_t i = 0; i < n; i++) {
    const float ui = u[i] + b[i];
    float x = 0.0f - (ui < 0.0f ? -ui : ui);
    x = x < -87.0f ? -87.0f : x;
    const float fx = x * log2e + round;
    float r = fx - round;
    r = (x - r * c1) - r * c2;
    const float t = r * r;
    const float p = ((((r * p0 + p1) * t + (r * p2 + p3)) * t + (r * p4 + p5)) * t + r) + 1.0f;
    union { float f; int32_t i; } bits = {fx}, scale;
    scale.i = (int32_t)((uint32_t)(bits.i + 127) << 23);
    const float e = p * scale.f;
    const float inv = 1.0f / (1.0f + e);
    const float s = ui >= 0.0f ? inv : e * inv;
    const float h = ui * s;
    u[i] = h;
    d[i] = s + h * (1.0f - s);
  }
}

/*
 * siluInPlace(u, b, d): for u a row-major [u.length / b.length, b.length] matrix, h = silu(u + b)
 * (b added to every row) written over u and d = silu′(u + b), row by row as silu_row above.
 */
static napi_value silu_in_place(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3) FAIL(env, type_error, "siluInPlace expects 3 arguments");
  float *u, *b, *d;
  size_t nu, nb, nd;
  if (!get_f32(env, argv[0], &u, &nu) || !get_f32(env, argv[1], &b, &nb) || !get_f32(env, argv[2], &d, &nd)) {
    FAIL(env, type_error, "siluInPlace: u, b and d must be attached Float32Arrays");
  }
  if (nd != nu) FAIL(env, range_error, "siluInPlace: u and d must have the same length");
  if (nb == 0 ? nu != 0 : nu % nb != 0) FAIL(env, range_error, "siluInPlace: u.length must be a multiple of b.length");
  if (overlap(u, nu, d, nd) || overlap(u, nu, b, nb) || overlap(d, nd, b, nb)) FAIL(env, range_error, "siluInPlace: u, b and d overlap");
  for (size_t r = 0; r < nu; r += nb) silu_row(u + r, b, d + r, nb);
  return NULL;
}

VECTOR_CLONES static void multiply_row(float *restrict a, const float *restrict b, double *restrict acc, size_t n) {
  for (size_t j = 0; j < n; j++) {
    const float x = a[j] * b[j];
    a[j] = x;
    acc[j] += x;
  }
}

/*
 * multiplyColumnSums(a, b, sums): a ← a ⊙ b elementwise (a and b row-major with sums.length
 * columns) and sums[j] = Σ_i a[i, j] of the products, accumulated in double precision in row
 * order (deterministic), then rounded to float32. No two arrays overlap.
 */
static napi_value multiply_column_sums(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3) FAIL(env, type_error, "multiplyColumnSums expects 3 arguments");
  float *a, *b, *sums;
  size_t na, nb, ns;
  if (!get_f32(env, argv[0], &a, &na) || !get_f32(env, argv[1], &b, &nb) || !get_f32(env, argv[2], &sums, &ns)) {
    FAIL(env, type_error, "multiplyColumnSums: a, b and sums must be attached Float32Arrays");
  }
  if (nb != na) FAIL(env, range_error, "multiplyColumnSums: a and b must have the same length");
  if (ns == 0 || na % ns != 0) FAIL(env, range_error, "multiplyColumnSums: a.length must be a multiple of sums.length > 0");
  if (overlap(a, na, b, nb) || overlap(a, na, sums, ns) || overlap(b, nb, sums, ns)) FAIL(env, range_error, "multiplyColumnSums: a, b and sums overlap");
  double *acc = calloc(ns, sizeof(double));
  if (acc == NULL) FAIL(env, error, "multiplyColumnSums: out of memory");
  for (size_t r = 0; r < na; r += ns) multiply_row(a + r, b + r, acc, ns);
  for (size_t j = 0; j < ns; j++) sums[j] = (float)acc[j];
  free(acc);
  return NULL;
}

VECTOR_CLONES static void adam_kernel(float *restrict out, const float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
                                      size_t n, double scale, double beta1, double beta2, double step_size, double sqrt_bc2, double eps,
                                      double decay) {
  for (size_t j = 0; j < n; j++) {
    const double gj = g[j] * scale + decay * p[j];
    const double mj = beta1 * m[j] + (1 - beta1) * gj;
    const double vj = beta2 * v[j] + (1 - beta2) * gj * gj;
    m[j] = (float)mj;
    v[j] = (float)vj;
    out[j] = (float)(p[j] - (step_size * mj) / (sqrt(vj) / sqrt_bc2 + eps));
  }
}

/*
 * adamUpdate(out, p, g, m, v, scale, beta1, beta2, stepSize, sqrtBc2, eps, weightDecay): one
 * Adam step of PyTorch's rule in double precision, m and v stored as float32, the same operations
 * in the same order as src/nn/optim.ts's JavaScript loop (same bits): g' = g scale + λ p,
 * m ← β1 m + (1 − β1) g', v ← β2 v + (1 − β2) g'², out = p − (stepSize m) / (√v / sqrtBc2 + ε),
 * with the unrounded m and v in the last line. Five arrays of equal length, out overlapping none.
 */
static napi_value adam_update(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 12) FAIL(env, type_error, "adamUpdate expects 12 arguments");
  float *arr[5];
  size_t len[5];
  for (int i = 0; i < 5; i++) {
    if (!get_f32(env, argv[i], &arr[i], &len[i])) FAIL(env, type_error, "adamUpdate: out, p, g, m and v must be attached Float32Arrays");
    if (len[i] != len[0]) FAIL(env, range_error, "adamUpdate: out, p, g, m and v must have the same length");
  }
  for (int i = 0; i < 5; i++)
    for (int j = i + 1; j < 5; j++)
      if (overlap(arr[i], len[i], arr[j], len[j]) && (i >= 3 || j >= 3 || i == 0)) FAIL(env, range_error, "adamUpdate: out, m or v overlaps another array");
  double x[7];
  for (int i = 0; i < 7; i++)
    if (napi_get_value_double(env, argv[5 + i], &x[i]) != napi_ok) FAIL(env, type_error, "adamUpdate: the scalars must be numbers");
  adam_kernel(arr[0], arr[1], arr[2], arr[3], arr[4], len[0], x[0], x[1], x[2], x[3], x[4], x[5], x[6]);
  return NULL;
}

/* setThreads(n): the number of threads OpenBLAS uses from now on (n ≥ 1). */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 || !get_dim(env, argv[0], &n) || n < 1 || n > 1024) {
    FAIL(env, range_error, "setThreads expects an integer in [1, 1024]");
  }
  openblas_set_num_threads((int)n);
  return NULL;
}

/* info(): { corename, config, threads } as OpenBLAS reports them. */
static napi_value blas_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, core, config, threads;
  if (napi_create_object(env, &obj) != napi_ok || napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &core) != napi_ok ||
      napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config) != napi_ok ||
      napi_create_int32(env, openblas_get_num_threads(), &threads) != napi_ok || napi_set_named_property(env, obj, "corename", core) != napi_ok ||
      napi_set_named_property(env, obj, "config", config) != napi_ok || napi_set_named_property(env, obj, "threads", threads) != napi_ok) {
    FAIL(env, error, "info: could not build the result");
  }
  return obj;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fillRows", NULL, fill_rows, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumRows", NULL, sum_rows, NULL, NULL, NULL, napi_enumerable, NULL},
      {"siluBackward", NULL, silu_backward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"siluInPlace", NULL, silu_in_place, NULL, NULL, NULL, napi_enumerable, NULL},
      {"multiplyColumnSums", NULL, multiply_column_sums, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adamUpdate", NULL, adam_update, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"info", NULL, blas_info, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(transportlab_blas, init)
