"""Publishing a built site: a gh-pages branch written with git plumbing, and a
link checker that serves the result under a project-site subpath."""
from generator.deploy.ghpages import DeployResult, preflight, publish

__all__ = ["DeployResult", "preflight", "publish"]
