/*
 * The raw floor for parsing a playbook: libyaml (the system's libyaml-dev) reading every
 * event of a YAML file, N times, doing nothing with them. `rollout bench playbook` does the
 * same parse through Yams and then builds and validates the model; the ratio of the two is
 * what the typed model and the diagnostics cost.
 *
 *   cc -O2 -o /tmp/yaml-parse-floor Benchmarks/yaml-parse-floor.c -lyaml
 *   /tmp/yaml-parse-floor Playbooks/standard-nine-phase.yaml 100
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <yaml.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [REPEAT]\n", argv[0]);
        return 64;
    }
    int repeat = argc > 2 ? atoi(argv[2]) : 100;
    FILE *file = fopen(argv[1], "rb");
    if (!file) { perror(argv[1]); return 1; }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    unsigned char *text = malloc(size);
    if (fread(text, 1, size, file) != (size_t)size) { perror("read"); return 1; }
    fclose(file);

    struct timespec start, end;
    long events = 0;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < repeat; i++) {
        yaml_parser_t parser;
        yaml_event_t event;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, text, size);
        int done = 0;
        while (!done) {
            if (!yaml_parser_parse(&parser, &event)) { fprintf(stderr, "parse error\n"); return 1; }
            done = event.type == YAML_STREAM_END_EVENT;
            events++;
            yaml_event_delete(&event);
        }
        yaml_parser_delete(&parser);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("libyaml parse  %.3f ms each (x%d)  %ld events each  %.1f KiB\n",
           seconds / repeat * 1000, repeat, events / repeat, size / 1024.0);
    free(text);
    return 0;
}
