"""The stage graph: who produces what, in which order stages run, and what they feed."""

from __future__ import annotations

from pathlib import Path

from mlvc.errors import PipelineError
from mlvc.fsutil import covers
from mlvc.pipeline.spec import PIPELINE_FILE, Stage


class StageGraph:
    """Stages with edges from a producer to every stage that depends on what it writes."""

    def __init__(self, stages: dict[str, Stage], root: Path) -> None:
        self.stages = stages
        self.producer: dict[str, str] = {}
        for stage in stages.values():
            for product in stage.products:
                for claimed, owner in self.producer.items():
                    if covers(claimed, product) or covers(product, claimed):
                        raise PipelineError(
                            PIPELINE_FILE,
                            stage.name,
                            f"output {product} is also an output of stage '{owner}'",
                        )
                self.producer[product] = stage.name
        self.upstream: dict[str, set[str]] = {name: set() for name in stages}
        for stage in stages.values():
            for dep in stage.deps:
                producers = {
                    owner
                    for product, owner in self.producer.items()
                    if covers(product, dep) or covers(dep, product)
                }
                producers.discard(stage.name)
                if not producers and not (root / dep).exists():
                    raise PipelineError(
                        PIPELINE_FILE,
                        stage.name,
                        f"dependency {dep} does not exist and no stage produces it",
                    )
                self.upstream[stage.name] |= producers
        self.order = self._topological_order()

    def _topological_order(self) -> list[str]:
        order: list[str] = []
        state: dict[str, int] = {}  # 1: being visited, 2: done

        def visit(name: str, path: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = [*path[path.index(name) :], name]
                raise PipelineError(
                    PIPELINE_FILE, name, f"stages form a cycle: {' -> '.join(cycle)}"
                )
            state[name] = 1
            for parent in sorted(self.upstream[name]):
                visit(parent, [*path, name])
            state[name] = 2
            order.append(name)

        for name in self.stages:
            visit(name, [])
        return order

    def with_upstream(self, names: list[str]) -> list[str]:
        """The named stages and everything they depend on, in run order."""
        wanted: set[str] = set()
        pending = list(names)
        while pending:
            name = pending.pop()
            if name not in wanted:
                wanted.add(name)
                pending.extend(self.upstream[name])
        return [name for name in self.order if name in wanted]
