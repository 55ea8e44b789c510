"""The hostile test set (``make_hostile``) and the child-process harness the robustness tests share."""
