/*
 * The emulator's loopback control API (/__emulator/...) from C tests: a minimal HTTP client,
 * fault injection. Include after defining _POSIX_C_SOURCE 200809L.
 */
#ifndef TIMADMIN_TEST_CONTROL_H
#define TIMADMIN_TEST_CONTROL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

/* Sends one HTTP request to the emulator; returns the status code and copies up to
 * body_cap-1 bytes of the response (headers included) into body. -1 on socket errors. */
static inline int http(const char *method, const char *path, const char *json, char *body, size_t body_cap) {
    const char *url = test_base_url(); /* http://127.0.0.1:PORT */
    const char *colon = strrchr(url, ':');
    if (strncmp(url, "http://127.0.0.1:", 17) != 0 || colon == NULL) {
        return -1;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)atoi(colon + 1));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    char request[2048];
    int n = snprintf(request, sizeof request,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     method, path, json ? strlen(json) : 0, json ? json : "");
    if (n <= 0 || (size_t)n >= sizeof request || write(fd, request, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    size_t len = 0;
    ssize_t got;
    while (len + 1 < body_cap && (got = read(fd, body + len, body_cap - 1 - len)) > 0) {
        len += (size_t)got;
    }
    body[len] = '\0';
    close(fd);
    int status = -1;
    if (sscanf(body, "HTTP/1.1 %d", &status) != 1) {
        return -1;
    }
    return status;
}

static inline void inject(const char *fault_json) {
    char reply[4096];
    int status = http("POST", "/__emulator/faults", fault_json, reply, sizeof reply);
    CHECK(status == 200);
    if (status != 200) {
        fprintf(stderr, "fault injection failed (%d): %s\n", status, reply);
    }
}

#endif
