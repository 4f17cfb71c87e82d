"""Operator: every job on this server (cancel any), memory in use, the workspaces.

Registered in the router only for a session that gave the server's operator token.
"""

import pandas as pd
import streamlit as st

from embeddings.budget import human_bytes, memory_budget
from embeddings.jobs import default_queue
from embeddings.operator import job_rows, mapped_model_files, process_memory, workspace_rows
from embeddings.workspaces import cleanup_workspaces, workspaces_root
from utils.state import shared_store

st.title("Operator")
queue = default_queue()
st.button("Refresh", key="op_refresh")

st.subheader("Jobs")
st.caption(f"{queue.describe()}; at most {queue.max_running} run at once (EMBEDDINGS_MAX_JOBS).")
rows = job_rows(queue)
if not rows:
    st.info("No job is running or waiting.")
for row in rows:
    facts = row.to_dict()
    where = "running" if row.state == "running" else f"waiting, {row.position} in line"
    text, button = st.columns([6, 1], vertical_alignment="center")
    text.markdown(
        f"**{facts['job']}** · {where} · workspace `{facts['workspace']}` · "
        f"{facts['elapsed (s)']:.0f} s · memory estimate {facts['memory estimate']}"
    )
    button.button("Cancel", key=f"op_cancel_{id(row.job)}", on_click=row.job.cancel)
if rows:
    st.dataframe(pd.DataFrame([row.to_dict() for row in rows]), hide_index=True, key="op_jobs")

st.subheader("Memory")
memory = process_memory()
budget = memory_budget()
m1, m2, m3 = st.columns(3)
m1.metric("Resident (RSS)", human_bytes(memory["rss"]) if memory["rss"] else "unknown")
m2.metric("Proportional (PSS)", human_bytes(memory["pss"]) if memory["pss"] else "unknown")
m3.metric("Budget (EMBEDDINGS_MEMORY_BUDGET)", human_bytes(budget))
mapped = mapped_model_files([shared_store().root, workspaces_root()])
st.caption(
    f"Model cache: {len(mapped)} model file(s) memory-mapped, "
    f"{human_bytes(sum(m['resident'] for m in mapped))} of "
    f"{human_bytes(sum(m['size'] for m in mapped))} resident (one copy for all sessions)."
)
if mapped:
    st.dataframe(
        pd.DataFrame(
            {
                "file": [m["file"] for m in mapped],
                "size": [human_bytes(m["size"]) for m in mapped],
                "resident": [human_bytes(m["resident"]) for m in mapped],
            }
        ),
        hide_index=True,
        key="op_mapped",
    )

st.subheader("Workspaces")
workspaces = workspace_rows()
st.caption(f"{len(workspaces)} workspace(s) in `{workspaces_root()}`.")
if workspaces:
    table = pd.DataFrame(workspaces)
    table["bytes"] = [human_bytes(n) for n in table["bytes"]]
    st.dataframe(table, hide_index=True, key="op_workspaces")
days = st.number_input("Unused for at least (days)", 1, 3650, 30, key="op_days")
idle = [w["workspace"] for w in workspaces if w["idle days"] >= days]
sure = st.checkbox(
    f"Yes, delete the {len(idle)} workspace(s) unused for {days} days", key="op_sure"
)
if st.button("Delete old workspaces", key="op_cleanup", disabled=not (sure and idle)):
    removed = cleanup_workspaces(days)
    st.session_state.pop("op_sure", None)
    st.success(f"Deleted {len(removed)} workspace(s).")
