/** Reading token usage and first-token times out of relayed responses. */
package dev.switchboard.app.activity.internal;
