/** The gateway's Prometheus metrics, fed by gateway events and the request proxy. */
package dev.switchboard.app.http.metrics;
