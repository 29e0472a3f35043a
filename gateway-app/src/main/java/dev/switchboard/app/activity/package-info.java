/**
 * What the gateway served and how: a bounded ring of the last requests with their timing and token
 * counts ({@link dev.switchboard.app.activity.ActivityLog}), and the models' state history ({@link
 * dev.switchboard.app.activity.ModelTimeline}), for the admin API, the web UI and the metrics.
 */
package dev.switchboard.app.activity;
