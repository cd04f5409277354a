#!/usr/bin/env python3
"""Loads a BPMN file the way an engine does and runs its process to the end.

Used by GraphCommandTests: it checks that what `rollout graph --format bpmn` writes is valid
BPMN 2.0 (SpiffWorkflow's parser validates it against the OMG schema) and runs on a real engine.

    run-bpmn.py FILE PROCESS_ID [--repeat N] [--choose STATE=KEY ...]

Every ready user task is completed in turn; tasks are named by the first line of their name. Before completing one it sets the task data that
the graph's gateways read:
  repeat      True the first N times that task is completed, then False (cycles run N+1 times)
  transition  the KEY given for that task's name with --choose (once; the default flow after)
Prints JSON: {"completed": true, "runs": {"task name": times completed, ...}, "ended": [end event names]}.
Exit status 2 when SpiffWorkflow is missing, 1 when the file is refused or the run does not finish.
"""
import json
import sys

try:
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
    from SpiffWorkflow.util.task import TaskState
except ImportError as error:
    print(f"SpiffWorkflow is not installed ({error}); run .ci/install-deps", file=sys.stderr)
    sys.exit(2)


def first_line(name):
    """A task's name without the detail line `rollout graph` adds (`Pilot` of `Pilot\n4 weeks · 1 task`)."""
    return (name or "").split("\n")[0]


def main(argv):
    path, process_id = argv[0], argv[1]
    repeat, choices = 0, {}
    rest = argv[2:]
    while rest:
        option, value, rest = rest[0], rest[1], rest[2:]
        if option == "--repeat":
            repeat = int(value)
        elif option == "--choose":
            name, key = value.split("=", 1)
            choices[name] = key
        else:
            raise SystemExit(f"unknown option {option}")

    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_file(path)
    workflow = BpmnWorkflow(parser.get_spec(process_id))
    workflow.do_engine_steps()
    runs = {}
    for _ in range(1000):
        if workflow.is_completed():
            break
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            raise SystemExit(f"the workflow is stuck: no ready task, not completed; waiting: "
                             f"{[t.task_spec.bpmn_name for t in workflow.get_tasks(state=TaskState.WAITING)]}")
        task = ready[0]
        name = first_line(task.task_spec.bpmn_name)
        done = runs.get(name, 0)
        task.data["repeat"] = done < repeat
        task.data["transition"] = choices.pop(name, None)
        task.run()
        runs[name] = done + 1
        workflow.do_engine_steps()
    if not workflow.is_completed():
        raise SystemExit("the workflow did not complete within 1000 tasks")
    ended = [first_line(t.task_spec.bpmn_name) for t in workflow.get_tasks(state=TaskState.COMPLETED)
             if type(t.task_spec).__name__ == "EndEvent"]
    print(json.dumps({"completed": True, "runs": runs, "ended": ended}, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
