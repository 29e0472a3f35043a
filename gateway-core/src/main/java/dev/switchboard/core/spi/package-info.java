/**
 * The service-provider interfaces of Switchboard: what a backend jar implements ({@link
 * dev.switchboard.core.spi.BackendFactory}, {@link dev.switchboard.core.spi.Backend}, {@link
 * dev.switchboard.core.spi.ModelSource}) and the immutable value types they exchange with the core.
 *
 * <p>A backend describes <em>what</em> to run; the core decides <em>when</em> and <em>where</em>
 * and owns the processes.
 */
package dev.switchboard.core.spi;
