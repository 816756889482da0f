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
 * In front of {@code /cometd}: refuses a body over 32,768 bytes with {@code 413 Maximum Request Size Exceeded} (the
 * limit and text of Salesforce's Streaming API error codes), whether it declares its length or comes chunked, and
 * sets a load-balancer cookie ({@code sfdc-stream}) as Salesforce's edge does, which a client must send back like
 * any other.
 */
final class RequestLimitFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    static final int MAX_REQUEST_BYTES = 32_768;
    private static final String LB_COOKIE = "sfdc-stream";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest checked = request;
        long length = request.getContentLengthLong();
        if (length > MAX_REQUEST_BYTES) {
            tooLarge(response);
            return;
        }
        if (length < 0 && "POST".equals(request.getMethod())) {
            // A chunked body has no Content-Length to check: read it here, at most one byte over the limit.
            byte[] body = request.getInputStream().readNBytes(MAX_REQUEST_BYTES + 1);
            if (body.length > MAX_REQUEST_BYTES) {
                tooLarge(response);
                return;
            }
            checked = new BufferedBodyRequest(request, body);
        }
        if (!hasCookie(request)) {
            response.addHeader("Set-Cookie", LB_COOKIE + "=!" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + "; Path=/; SameSite=None");
        }
        chain.doFilter(checked, response);
    }

    private static void tooLarge(HttpServletResponse response) throws IOException {
        byte[] body = "Maximum Request Size Exceeded".getBytes(StandardCharsets.UTF_8);
        response.setStatus(413);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static boolean hasCookie(HttpServletRequest request) {
        String header = request.getHeader("Cookie");
        return header != null && header.contains(LB_COOKIE + "=");
    }
}
