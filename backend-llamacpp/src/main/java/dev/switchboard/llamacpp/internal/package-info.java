/** Implementation of the llama.cpp backend; not an API, may change without notice. */
package dev.switchboard.llamacpp.internal;
