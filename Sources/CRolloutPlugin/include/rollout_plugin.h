/*
 * The C ABI between Rollout (the host) and a plugin (a shared library).
 *
 * A plugin exports one symbol, ROLLOUT_PLUGIN_ENTRY_SYMBOL, a function that receives the host's
 * services and returns the plugin's table. Everything else crosses as JSON bytes (UTF-8).
 * The layout of both tables is fixed for an ABI version: a change to it is a new version, and
 * the host refuses a plugin whose table has another one.
 *
 * Memory: a buffer is freed by the side that allocated it. A plugin's response buffers are
 * freed by the host through the plugin's `free`; the host's responses through the host's
 * `free_buffer`.
 */
#ifndef ROLLOUT_PLUGIN_H
#define ROLLOUT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define ROLLOUT_PLUGIN_ABI_VERSION 1
#define ROLLOUT_PLUGIN_ENTRY_SYMBOL "rollout_plugin_entry"

/* Results of `call` and of the host's `query`. */
#define ROLLOUT_OK 0
/* The response holds {"error": "message"}. */
#define ROLLOUT_ERROR 1

/* What the host offers a plugin: logging and data access. */
typedef struct rollout_host_services {
    uint32_t abi_version;
    void *context;
    /* level: 0 debug, 1 info, 2 warning, 3 error. */
    void (*log)(void *context, int32_t level, const char *message);
    /* A read-only query on the published v_* views, in the SQL sandbox:
       request {"sql": "...", "arguments": {...}}; response {"columns": [...], "rows": [[...], ...]}
       or {"error": "..."}. It also reads the plugin's own tables. (PluginKit's Contract.swift.) */
    int32_t (*query)(void *context, const uint8_t *request, size_t request_length,
                     uint8_t **response, size_t *response_length);
    void (*free_buffer)(void *context, uint8_t *buffer);
} rollout_host_services;

/* What a plugin offers the host. */
typedef struct rollout_plugin {
    uint32_t abi_version;
    /* The plugin's manifest as JSON (id, version, provides…), owned by the plugin. */
    const char *manifest_json;
    /* Runs `operation` (such as "action:retail.enroll-loyalty" or "metrics") on a JSON request;
       the response is JSON allocated by the plugin. */
    int32_t (*call)(const char *operation, const uint8_t *request, size_t request_length,
                    uint8_t **response, size_t *response_length);
    void (*free)(uint8_t *buffer);
} rollout_plugin;

typedef const rollout_plugin *(*rollout_plugin_entry_fn)(const rollout_host_services *host);

#endif
