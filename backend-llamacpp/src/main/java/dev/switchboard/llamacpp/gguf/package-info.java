/**
 * Reading GGUF model files: headers ({@link dev.switchboard.llamacpp.gguf.GgufReader}), ggml tensor
 * types with their block sizes ({@link dev.switchboard.llamacpp.gguf.GgmlType}), the model shape
 * llama.cpp derives from them ({@link dev.switchboard.llamacpp.gguf.GgufModel}), file name
 * conventions ({@link dev.switchboard.llamacpp.gguf.GgufFileName}) and the memory estimate built on
 * top ({@link dev.switchboard.llamacpp.gguf.GgufMemoryEstimator}).
 */
package dev.switchboard.llamacpp.gguf;
