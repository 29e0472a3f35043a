package dev.switchboard.core.forward;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default {@link SSLContext}, created when a TLS connection first asks for it. Creating it
 * reads and parses the JDK's trust store (some 150 ms of CPU on a small machine), which a client that
 * only ever talks plain HTTP to engines on loopback should not pay for at every start.
 */
final class DefaultSslContextOnFirstUse extends SSLContext {
    DefaultSslContextOnFirstUse() {
        super(new Delegating(), null, "Default");
    }

    private static final class Delegating extends SSLContextSpi {
        private static final class Holder {
            static final SSLContext DEFAULT = createDefault();

            private static SSLContext createDefault() {
                try {
                    return SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("the JDK has no default TLS context", e);
                }
            }
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is initialized already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return Holder.DEFAULT.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return Holder.DEFAULT.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return Holder.DEFAULT.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return Holder.DEFAULT.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return Holder.DEFAULT.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return Holder.DEFAULT.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return Holder.DEFAULT.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return Holder.DEFAULT.getSupportedSSLParameters();
        }
    }
}
