/**
 * llama-server options and preset files: the known options with their names and environment
 * variables ({@link dev.switchboard.llamacpp.preset.LlamaArgs}), option sets with llama.cpp's
 * precedence and rendering ({@link dev.switchboard.llamacpp.preset.PresetOptions}) and the INI
 * parser for {@code --models-preset} files ({@link dev.switchboard.llamacpp.preset.PresetParser}).
 */
package dev.switchboard.llamacpp.preset;
