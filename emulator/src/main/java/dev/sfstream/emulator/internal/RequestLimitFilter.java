package dev.sfstream.emulator.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * In front of {@code /cometd}: refuses a body over 32,768 bytes with {@code 413 Maximum Request Size Exceeded}
 * (PROTOCOL.md section 1.1), and sets a load-balancer cookie as Salesforce's edge does (1.3), which a client must
 * send back like any other.
 */
final class RequestLimitFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    static final int MAX_REQUEST_BYTES = 32_768;
    private static final String LB_COOKIE = "sfdc-stream";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getContentLengthLong() > MAX_REQUEST_BYTES) {
            byte[] body = "Maximum Request Size Exceeded".getBytes(StandardCharsets.UTF_8);
            response.setStatus(413);
            response.setContentType("text/plain;charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        if (!hasCookie(request)) {
            response.addHeader("Set-Cookie", LB_COOKIE + "=!" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + "; Path=/; SameSite=None");
        }
        chain.doFilter(request, response);
    }

    private static boolean hasCookie(HttpServletRequest request) {
        String header = request.getHeader("Cookie");
        return header != null && header.contains(LB_COOKIE + "=");
    }
}
